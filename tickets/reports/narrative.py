"""The monthly report's narrative: plain facts and phrase templates in, Spanish paragraphs out.

Pure code: no database, no app. ``build.py`` gathers the facts with SQL aggregates and hands
them here; the wording lives in ``templates/reports/phrases/*.txt`` (Jinja text templates a
supervisor can adjust), while the grammar that must never break (joining lists, dates, the
"del"/"al de" contractions, singular and plural) lives in the functions below and is tested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from babel.dates import get_month_names
from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from tickets.core.errors import DomainError
from tickets.core.text import fold

LOCALE = "es_MX"

# The fixed order of requester types in sentences and tables (the seed's order, then central).
REQUESTER_ORDER = ("junta", "party", "candidacy", "opl", "central")

# Process kinds in the seed's order: the extraordinary elections first, the ordinary ones after.
KIND_ORDER = (
    "extraordinario_local",
    "extraordinario_federal",
    "ordinario_federal",
    "ordinario_local",
)

# States whose display name takes an article: "la operación del PREP del Estado de México",
# "…y al de la Ciudad de México". Every other state goes bare ("al de Guerrero").
STATE_ARTICLES = {fold("Estado de México"): "el", fold("Ciudad de México"): "la"}

# Spanish turns "y" into "e" before an /i/ sound ("Jalisco e Hidalgo"), but not before a
# diphthong ("y hielo").
_E_BEFORE = re.compile(r"^(i|hi)(?![aeiouáéíóú])", re.IGNORECASE)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,;:.)])")


# --- Facts: what build.py hands in --------------------------------------------------------


@dataclass(frozen=True)
class Attention:
    """Tickets of one process (or of ordinary activity) in the month, as counted at month end."""

    tickets: int
    resolved: int
    pending: int
    by_requester: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class StateDates:
    """The dates of one kind of PREP event in one state."""

    state_key: str
    state: str
    dates: tuple[date, ...]


@dataclass(frozen=True)
class ProcessFacts:
    """One electoral process with activity in the month."""

    key: str
    name: str
    kind: str
    states_with_elections: int = 0
    first_month: bool = False  # no ticket of this process was received before this month
    attention: Attention | None = None
    drills: tuple[StateDates, ...] = ()
    operations: tuple[StateDates, ...] = ()
    starts_on: date | None = None


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or bullet line) of the narrative; ``key`` is stable across rebuilds."""

    key: str
    kind: str  # "paragraph" or "bullet"
    text: str

    def as_dict(self) -> dict:
        return asdict(self)


# --- Spanish grammar ------------------------------------------------------------------------


def plural(count: int, singular: str, plural_form: str) -> str:
    """The word that agrees with ``count``: 1 solicitud, 0 or 2 solicitudes."""
    return singular if count == 1 else plural_form


def join_list(items: Iterable[str]) -> str:
    """'a', 'a y b', 'a, b y c' (with 'e' instead of 'y' before an /i/ sound)."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    conjunction = "e" if _E_BEFORE.match(items[-1]) else "y"
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def month_name(number: int, locale: str = LOCALE) -> str:
    """'noviembre': Babel's wide month name, lower case."""
    return get_month_names("wide", locale=locale)[number].lower()


def month_label(year: int, number: int, locale: str = LOCALE) -> str:
    """'noviembre de 2021'."""
    return f"{month_name(number, locale)} de {year}"


def format_dates(dates: Iterable[date], article: str = "", locale: str = LOCALE) -> str:
    """Real dates in Spanish, ascending, each month named once: '14 y 21 de noviembre'.

    A list that crosses months names each month ('28 y 30 de noviembre y 2 de diciembre');
    one that crosses years names each year too ('30 de diciembre de 2021 y 2 de enero de
    2022'). ``article`` goes before every day ('el 14 y el 21 de noviembre').
    """
    days = sorted(set(dates))
    if not days:
        return ""
    with_year = len({d.year for d in days}) > 1
    groups: list[list[date]] = []
    for day in days:
        if groups and (groups[-1][0].year, groups[-1][0].month) == (day.year, day.month):
            groups[-1].append(day)
        else:
            groups.append([day])
    prefix = f"{article} " if article else ""
    parts = []
    for group in groups:
        text = join_list(f"{prefix}{d.day}" for d in group)
        text += f" de {month_name(group[0].month, locale)}"
        if with_year:
            text += f" de {group[0].year}"
        parts.append(text)
    return join_list(parts)


def state_sort_key(name: str) -> str:
    """Alphabetical order as a reader expects it: accents folded ('Estado de México' under E)."""
    return fold(name)


def of_state(name: str) -> str:
    """'de Guerrero', 'del Estado de México', 'de la Ciudad de México'."""
    article = STATE_ARTICLES.get(fold(name))
    if article == "el":
        return f"del {name}"
    if article:
        return f"de {article} {name}"
    return f"de {name}"


def requester_list(counts: Mapping[str, int], labels: Mapping[str, str]) -> str:
    """Who the tickets came from, with figures; types without tickets are left out.

    Party and candidacy representations form one group, as in the seed: "las representaciones
    de partidos políticos (21) y, en su caso, candidaturas independientes (4)". The groups are
    then joined "a, b y c" in the fixed order junta, party/candidacy, OPL, central offices.
    """
    count = {key: int(counts.get(key, 0) or 0) for key in REQUESTER_ORDER}
    groups = []
    if count["junta"]:
        groups.append(f"{labels['junta']} ({count['junta']})")
    if count["party"] and count["candidacy"]:
        groups.append(
            f"{labels['party']} ({count['party']}) "
            f"{labels['candidacy_with_party']} ({count['candidacy']})"
        )
    elif count["party"]:
        groups.append(f"{labels['party']} ({count['party']})")
    elif count["candidacy"]:
        groups.append(f"{labels['candidacy']} ({count['candidacy']})")
    for key in ("opl", "central"):
        if count[key]:
            groups.append(f"{labels[key]} ({count[key]})")
    return join_list(groups)


def operations_list(operations: Sequence[StateDates], locale: str = LOCALE) -> str:
    """'del Estado de México el 14 de noviembre, al de Guerrero el 28 de noviembre y …'.

    States in alphabetical order; "el" before every date (the seed forgot one: never again).
    """
    ordered = sorted(operations, key=lambda item: state_sort_key(item.state))
    parts = []
    for index, item in enumerate(ordered):
        # The first state hangs on "la operación del PREP": "…del PREP del Estado de México".
        # The others stand for "a + el [PREP] de …": "al de Guerrero", "al del Estado de México".
        lead = f"al {of_state(item.state)}" if index else of_state(item.state)
        parts.append(f"{lead} {format_dates(item.dates, 'el', locale)}")
    return join_list(parts)


def process_words(key: str, name: str) -> dict:
    """Ways to write a process name inside a sentence, for the phrase templates.

    ``with_article``: 'los Procesos Electorales Locales 2021-2022';
    ``of_name``: 'de los Procesos Electorales Locales 2021-2022', 'del Proceso Electoral
    Federal 2020-2021'; ``derived_from``: 'los Procesos Electorales 2020-2021' for
    'Elecciones extraordinarias 2021 derivadas de los Procesos Electorales 2020-2021';
    ``year``: the first year in the key ('2021' for EXT-2021).
    """
    first = fold(name.split(" ", 1)[0])
    article = {"procesos": "los", "proceso": "el", "elecciones": "las", "eleccion": "la"}.get(
        first, ""
    )
    written = name[:1].lower() + name[1:] if article in ("las", "la") else name
    with_article = f"{article} {written}" if article else written
    if article == "el":
        of_name = f"del {written}"
    elif article:
        of_name = f"de {article} {written}"
    else:
        of_name = f"de {written}"
    _, _, derived_from = name.partition(" derivadas de ")
    years = re.findall(r"\d{4}", key)
    return {
        "key": key,
        "name": name,
        "article": article,
        "with_article": with_article,
        "of_name": of_name,
        "derived_from": derived_from,
        "year": years[0] if years else "",
    }


# --- Phrases: the adjustable wording --------------------------------------------------------


class PhraseError(DomainError):
    """A phrase template is missing or broken: a setup error, explained in Spanish."""

    code, status = "phrase_error", 500


class Phrases:
    """The phrase templates, looked up in ``dirs`` in order (the first holding a file wins).

    Templates are rendered in a sandbox with StrictUndefined, so a typo in a variable name
    fails loudly instead of leaving a hole in the report. Line breaks and runs of blanks in a
    rendered phrase collapse into one space, so templates may be wrapped freely.
    """

    def __init__(self, dirs: Sequence[str | Path]):
        self.dirs = [str(d) for d in dirs]
        self.env = SandboxedEnvironment(
            loader=ChoiceLoader([FileSystemLoader(d, encoding="utf-8") for d in self.dirs]),
            undefined=StrictUndefined,
            autoescape=False,  # plain text; the HTML pages and documents escape it themselves
            auto_reload=True,
        )
        self.env.globals["plural"] = plural

    def has(self, name: str) -> bool:
        """True when the phrase ``name``.txt exists (some paragraphs are optional, e.g. intros).

        :raises PhraseError: the file exists but does not compile.
        """
        try:
            self.env.get_template(f"{name}.txt")
        except TemplateNotFound:
            return False
        except TemplateError as exc:
            raise self._error(name, exc) from exc
        return True

    def render(self, name: str, **context) -> str:
        """The phrase ``name``.txt filled with ``context``, on one line.

        :raises PhraseError: the template is missing, has a syntax error or names a variable
            that does not exist.
        """
        try:
            text = self.env.get_template(f"{name}.txt").render(**context)
        except TemplateError as exc:
            raise self._error(name, exc) from exc
        text = " ".join(text.split())
        return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)

    def requester_labels(self) -> dict[str, str]:
        """How each requester type is named in the attention sentences (requesters.txt).

        :raises PhraseError: the file is missing, broken, or lacks one of the names.
        """
        keys = (*REQUESTER_ORDER, "candidacy_with_party")
        try:
            module = self.env.get_template("requesters.txt").module
            return {key: " ".join(str(getattr(module, key)).split()) for key in keys}
        except (TemplateError, AttributeError) as exc:
            raise self._error("requesters", exc) from exc

    def _error(self, name: str, exc: Exception) -> PhraseError:
        where = f" (línea {exc.lineno})" if getattr(exc, "lineno", None) else ""
        return PhraseError(
            f"La plantilla de frases «{name}.txt» del informe tiene un error{where}: {exc}. "
            f"Corríjala en {' o '.join(self.dirs)} (véase docs/reports.md)."
        )


# --- The narrative --------------------------------------------------------------------------


def ordered_processes(processes: Iterable[ProcessFacts]) -> list[ProcessFacts]:
    """The seed's order: extraordinary elections first, then ordinary processes; then dates."""

    def rank(p: ProcessFacts):
        kind = KIND_ORDER.index(p.kind) if p.kind in KIND_ORDER else len(KIND_ORDER)
        return (kind, p.starts_on or date.min, p.key)

    return sorted(processes, key=rank)


def build_narrative(
    processes: Iterable[ProcessFacts],
    ordinary: Attention | None,
    phrases: Phrases,
    overrides: Mapping[str, str] | None = None,
) -> list[Paragraph]:
    """Every paragraph of the month's narrative, in document order.

    One part per process with activity (tickets or PREP events), in the seed's order, then
    ordinary activity. A non-blank ``overrides[key]`` replaces the generated text of that
    paragraph; keys that no longer exist are ignored.
    """
    parts = [
        p
        for p in ordered_processes(processes)
        if (p.attention and p.attention.tickets) or p.drills or p.operations
    ]
    has_ordinary = ordinary is not None and ordinary.tickets > 0
    total = len(parts) + (1 if has_ordinary else 0)
    labels = phrases.requester_labels()
    paragraphs: list[Paragraph] = []
    for index, process in enumerate(parts):
        paragraphs += _process_part(process, phrases, labels, _position(index, total))
    if has_ordinary:
        context = _attention_context(ordinary, labels) | _position(total - 1, total)
        paragraphs.append(Paragraph("ordinary", "paragraph", phrases.render("ordinary", **context)))
    return apply_overrides(paragraphs, overrides)


def _position(index: int, total: int) -> dict:
    """Where a part stands, so its first sentence can say "Por otra parte" or "Finalmente"."""
    return {
        "part_index": index,
        "part_count": total,
        "first_part": index == 0,
        "last_part": index == total - 1,
    }


def apply_overrides(
    paragraphs: list[Paragraph], overrides: Mapping[str, str] | None
) -> list[Paragraph]:
    """Put a supervisor's wording in place of the generated text, paragraph by paragraph."""
    if not overrides:
        return paragraphs
    result = []
    for paragraph in paragraphs:
        text = overrides.get(paragraph.key)
        if isinstance(text, str) and text.strip():
            paragraph = Paragraph(paragraph.key, paragraph.kind, text.strip())
        result.append(paragraph)
    return result


def _process_part(
    process: ProcessFacts, phrases: Phrases, labels: Mapping[str, str], position: dict
) -> list[Paragraph]:
    attention = process.attention if process.attention and process.attention.tickets else None
    words = process_words(process.key, process.name)
    words |= {"kind": process.kind, "states_with_elections": process.states_with_elections}
    base = {
        "process": words,
        "states_with_elections": process.states_with_elections,
        "first_month": process.first_month,
        "after_attention": attention is not None,
        **position,
    }
    steps: list[tuple[str, str, str, dict]] = []  # key suffix, template, kind, extra context
    if phrases.has(f"intro_{process.kind}"):
        steps.append(("intro", f"intro_{process.kind}", "paragraph", {}))
    if attention:
        context = _attention_context(attention, labels)
        steps.append(("attention", f"attention_{process.kind}", "paragraph", context))
    if process.drills:
        steps.append(("prep_drills", "prep_drills_intro", "paragraph", {}))
        for line in sorted(process.drills, key=lambda item: state_sort_key(item.state)):
            context = {"state": line.state, "dates": format_dates(line.dates)}
            steps.append((f"prep_drills.{line.state_key}", "prep_drill_line", "bullet", context))
    if process.operations:
        context = {"operations": operations_list(process.operations)}
        steps.append(("prep_operations", "prep_operations", "paragraph", context))
    return [
        Paragraph(
            f"{process.key}.{suffix}",
            kind,
            phrases.render(template, **(base | {"opening": index == 0} | extra)),
        )
        for index, (suffix, template, kind, extra) in enumerate(steps)
    ]


def _attention_context(attention: Attention, labels: Mapping[str, str]) -> dict:
    return {
        "tickets": attention.tickets,
        "resolved": attention.resolved,
        "pending": attention.pending,
        "by_requester": {key: attention.by_requester.get(key, 0) for key in REQUESTER_ORDER},
        "requesters": requester_list(attention.by_requester, labels),
    }
