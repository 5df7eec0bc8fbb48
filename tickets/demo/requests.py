"""Who sends a demo request and what it says: organisation, contact, channel, texts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from tickets.demo import people
from tickets.demo.records import CatalogView, Draft, Request, weighted
from tickets.helpdesk.models import Channel, Priority

PARTY_WEIGHTS = {"MORENA": 5, "PAN": 4, "PRI": 4, "MC": 3, "PVEM": 2, "PT": 2, "PRD": 2}
CHANNEL_WEIGHTS = {
    Channel.PHONE: 40,
    Channel.EMAIL: 25,
    Channel.CHAT: 15,
    Channel.PORTAL: 12,
    Channel.IN_PERSON: 8,
}
CENTRAL_CHANNELS = {Channel.EMAIL: 3, Channel.PHONE: 2}
PRIORITIES = (Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.CRITICAL)
FEMININE_BODIES = {"Comisión"}  # "la CEE" (Comisión Estatal Electoral), "el IEEM"
POLLING_STATIONS = ("B", "C1", "C2", "C3", "E1")  # básica, contiguas, extraordinaria


@dataclass
class RequestContext:
    """What describing a request needs besides the draft; remembers each state's busy districts."""

    rng: random.Random
    catalog: CatalogView
    candidacies: dict[str, people.Candidacy]
    focus_districts: dict[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Sender:
    key: str
    who: str  # "la Junta Distrital Ejecutiva 05", used inside sentences
    acronym: str | None = None
    place: str | None = None


def describe(ctx: RequestContext, draft: Draft) -> tuple[Request, str]:
    """The request an operator logs for ``draft``, and the words that will resolve it."""
    rng, template = ctx.rng, draft.template
    sender = _sender(ctx, draft)
    values = _placeholders(ctx, draft, sender)
    name = people.person_name(rng)
    request = Request(
        requester_type=draft.kind,
        organization_key=sender.key,
        state_key=draft.state_key,
        process_key=draft.segment.process_key,
        system_key=template.system,
        category_key=template.category,
        channel=weighted(rng, CENTRAL_CHANNELS if draft.kind == "central" else CHANNEL_WEIGHTS),
        priority=_priority(rng, template.priority),
        subject=_sentence(template.subject.format(**values)),
        description=_sentence(template.description.format(**values)),
        contact_name=name,
        contact_email=people.email_for(name, people.domain_for(draft.kind, sender.acronym)),
        contact_phone=people.phone_for(rng, draft.state_key),
    )
    if rng.random() < 0.15:
        request = _without(request, "contact_email")
    elif rng.random() < 0.2:
        request = _without(request, "contact_phone")
    return request, _sentence(template.resolution.format(**values))


def _sender(ctx: RequestContext, draft: Draft) -> _Sender:
    rng, state = ctx.rng, draft.state_key
    if draft.kind == "junta":
        if rng.random() < 0.3:
            return _Sender(f"JL-{state}", "la Junta Local Ejecutiva")
        number = rng.choice(_focus(ctx, state))
        return _Sender(f"JD-{state}-{number:02d}", f"la Junta Distrital Ejecutiva {number:02d}")
    if draft.kind == "opl":
        acronym, name = ctx.catalog.opl[state]
        article = "la" if name.split()[0] in FEMININE_BODIES else "el"
        return _Sender(f"OPL-{state}", f"{article} {acronym}", acronym)
    if draft.kind == "party":
        parties = {p: w for p, w in PARTY_WEIGHTS.items() if p in ctx.catalog.parties}
        acronym = weighted(rng, parties)
        return _Sender(f"PP-{acronym}-{state}", f"la representación de {acronym}", acronym)
    if draft.kind == "candidacy":
        keys = sorted(k for k, c in ctx.candidacies.items() if c.state_key == state)
        key = rng.choice(keys)
        return _Sender(key, "la candidatura independiente", place=ctx.candidacies[key].place)
    acronym = rng.choice(ctx.catalog.central_offices)
    return _Sender(f"CEN-{acronym}", f"la {acronym}", acronym)


def _focus(ctx: RequestContext, state: str) -> tuple[int, ...]:
    """The few districts of a state that send most of its requests."""
    if state not in ctx.focus_districts:
        numbers = ctx.catalog.districts[state]
        ctx.focus_districts[state] = tuple(sorted(ctx.rng.sample(numbers, min(3, len(numbers)))))
    return ctx.focus_districts[state]


def _placeholders(ctx: RequestContext, draft: Draft, sender: _Sender) -> dict[str, str]:
    rng = ctx.rng
    state_name = ctx.catalog.states.get(draft.state_key or "", "")
    if sender.place:
        place = sender.place
    elif draft.segment.where == "ext":
        place = rng.choice(people.EXT_PLACES.get(draft.state_key, (state_name,)))
    else:
        place = state_name
    section = f"{rng.randint(1, 2999):04d}"
    return {
        "lugar": place,
        "entidad": state_name,
        "seccion": section,
        "casilla": f"{section} {rng.choice(POLLING_STATIONS)}",
        "solicitante": sender.who,
        "cantidad": str(rng.randint(2, 12)),
    }


def _priority(rng: random.Random, base: Priority) -> Priority:
    """The template's priority, sometimes one step up or down, as operators judge."""
    index = PRIORITIES.index(base)
    roll = rng.random()
    if roll < 0.12:
        index = min(index + 1, len(PRIORITIES) - 1)
    elif roll < 0.22:
        index = max(index - 1, 0)
    return PRIORITIES[index]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _without(request: Request, name: str) -> Request:
    return replace(request, **{name: None})
