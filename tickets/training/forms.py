"""Training log forms: shape only. The rules (dates, figures, which office) live in
training.services, which reports every broken rule at once."""

from __future__ import annotations

import re

from babel.dates import format_date
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from tickets.catalogs import queries as catalogs
from tickets.core.forms import choices
from tickets.core.text import fold
from tickets.helpdesk.forms import ChoiceField, HelpdeskForm, IdField, Needed
from tickets.training import queries
from tickets.training.models import Modality, TrainingSession
from tickets.training.queries import MAX_ID, SessionFilters, month_bounds
from tickets.training.services import MAX_NOTES, MAX_TOPIC, SessionData

MODALITY_LABELS = {Modality.IN_PERSON: "Presencial", Modality.REMOTE: "A distancia"}
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


class DayField(DateField):
    """A date input; empty is None (the service asks for it), nonsense gets a Spanish message."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            super().process_formdata([valuelist[0].strip()])
        except ValueError as exc:
            raise ValueError("Escriba una fecha válida (día, mes y año).") from exc


class CountField(IntegerField):
    """A whole number typed in digits; empty is None, anything else gets a Spanish message."""

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        if not text:
            self.data = None
            return
        self.data = None
        if _WHOLE_NUMBER.fullmatch(text) is None:
            raise ValueError("Escriba un número entero, solo con dígitos.")
        if len(text.lstrip("+-")) > 12:
            raise ValueError("El número es demasiado grande.")
        self.data = int(text)


class SessionForm(HelpdeskForm):
    """Log or correct one training session."""

    held_on = DayField("Fecha de la sesión", validators=[Needed()])
    state_id = IdField("Entidad federativa", "Seleccione…", validators=[Needed()])
    office_id = IdField("Oficina", "— Varias oficinas de la entidad —")
    topic = StringField("Tema", validators=[Needed()], render_kw={"maxlength": MAX_TOPIC})
    system_id = IdField("Sistema", "— Ninguno en particular —")
    modality = ChoiceField(
        "Modalidad",
        choices=choices((m.value, label) for m, label in MODALITY_LABELS.items()),
        default=Modality.IN_PERSON.value,
    )
    people_trained = CountField(
        "Personas capacitadas",
        validators=[Needed()],
        render_kw={"min": 1, "step": 1},
    )
    notes = TextAreaField("Notas", render_kw={"rows": 3, "maxlength": MAX_NOTES})

    def load_choices(self, keep: TrainingSession | None = None) -> None:
        """Fill the selects for the chosen state, so a refused or refreshed form shows the right
        offices without JavaScript; ``keep`` is the session being corrected."""
        states = sorted(catalogs.active_states(), key=lambda s: fold(s.display_name))
        self.state_id.fill(states, lambda s: s.display_name, keep=keep and keep.state)
        offices = queries.offices_of(self.state_id.id_value)
        same_state = keep is not None and keep.state_id == self.state_id.id_value
        self.office_id.fill(offices, keep=keep.office if same_state else None)
        self.system_id.fill(catalogs.active_systems(), keep=keep and keep.system)

    def session_data(self) -> SessionData:
        """What the service needs, from what was typed."""
        return SessionData(
            held_on=self.held_on.data,
            state_id=self.state_id.id_value,
            office_id=self.office_id.id_value,
            topic=self.topic.data or "",
            system_id=self.system_id.id_value,
            modality=_modality(self.modality.data),
            people_trained=self.people_trained.data,
            notes=self.notes.data or "",
        )


class FilterForm(HelpdeskForm):
    """The list's filter bar, read from the query string; a bad value is ignored, not fatal."""

    class Meta:
        csrf = False

    month = StringField("Mes", validators=[Optional()], render_kw={"placeholder": "AAAA-MM"})
    state = ChoiceField("Entidad", validators=[Optional()])
    modality = ChoiceField("Modalidad", validators=[Optional()])
    system = ChoiceField("Sistema", validators=[Optional()])

    def load_choices(self) -> None:
        states = sorted(catalogs.active_states(), key=lambda s: fold(s.display_name))
        self.state.choices = choices([("", "Todas"), *((s.id, s.display_name) for s in states)])
        modalities = ((m.value, label) for m, label in MODALITY_LABELS.items())
        self.modality.choices = choices([("", "Todas"), *modalities])
        systems = ((s.id, s.name) for s in catalogs.active_systems())
        self.system.choices = choices([("", "Todos"), *systems])

    def validate_month(self, field) -> None:
        try:
            month_bounds((field.data or "").strip())
        except ValueError as exc:
            raise ValidationError("Escriba el mes como AAAA-MM, por ejemplo 2021-11.") from exc

    def filters(self) -> tuple[SessionFilters, list[str]]:
        """The filters to apply, and the labels of the ones ignored for a bad value."""
        self.validate()
        ignored = [field.label.text for field in self if field.errors]
        valid = {field.short_name: field.data for field in self if not field.errors}
        return (
            SessionFilters(
                month=(valid.get("month") or "").strip() or None,
                state_id=_id(valid.get("state")),
                modality=_modality(valid.get("modality")),
                system_id=_id(valid.get("system")),
            ),
            ignored,
        )


def month_label(month: str) -> str:
    """'noviembre de 2021' for '2021-11'."""
    first, _after = month_bounds(month)
    return format_date(first, "MMMM 'de' y", locale="es_MX")


def neighbour_months(month: str) -> tuple[str | None, str | None]:
    """The months before and after ``month``, as 'YYYY-MM' (None past the calendar's ends)."""
    first, _after = month_bounds(month)
    index = first.year * 12 + first.month - 1  # months since year 0

    def text(i: int) -> str | None:
        candidate = f"{i // 12:04d}-{i % 12 + 1:02d}"
        try:
            month_bounds(candidate)
        except ValueError:
            return None
        return candidate

    return text(index - 1), text(index + 1)


def _id(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID else None


def _modality(value) -> Modality | None:
    try:
        return Modality(value) if value else None
    except ValueError:
        return None
