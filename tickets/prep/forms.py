"""PREP forms: shape only. Dates, numbers and what belongs to what are prep.services' rules,
which report every broken rule at once with the message a person needs."""

from __future__ import annotations

from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField

from tickets.catalogs.models import ElectoralProcess, State
from tickets.core.forms import choices
from tickets.core.timeutil import long_date
from tickets.prep.models import PrepEvent, PrepEventKind
from tickets.prep.services import KIND_LABELS, PrepEventData


class Needed:
    """Marks a field as required on screen; the service writes the message."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        return None


class PrepEventForm(FlaskForm):
    """One drill or operation; the states offered are those with an election in the process."""

    process_id = SelectField("Proceso electoral", validate_choice=False, validators=[Needed()])
    refresh = SubmitField("Ver las entidades de este proceso")
    state_id = SelectField("Entidad federativa", validate_choice=False, validators=[Needed()])
    kind = SelectField(
        "Tipo",
        choices=choices((kind.value, label) for kind, label in KIND_LABELS.items()),
        validate_choice=False,
        validators=[Needed()],
    )
    held_on = StringField(
        "Fecha", render_kw={"placeholder": "dd/mm/aaaa", "autocomplete": "off", "maxlength": 40}
    )
    number = StringField("Número de simulacro", render_kw={"inputmode": "numeric", "maxlength": 10})
    followed_by = StringField(
        "Quién dio seguimiento en la Junta Local",
        validators=[Needed()],
        render_kw={"maxlength": 200},
    )
    outcome = StringField("Resultado", render_kw={"maxlength": 200})
    notes = TextAreaField("Notas", render_kw={"rows": 3})
    updated = HiddenField()

    def prefill(self, process: ElectoralProcess | None, state: State | None, kind: str | None):
        """A new event's starting values, from the follow-up page's links."""
        self.process_id.data = str(process.id) if process else ""
        self.state_id.data = str(state.id) if state else ""
        self.kind.data = kind if kind in {k.value for k in PrepEventKind} else "drill"

    def fill_from(self, event: PrepEvent) -> None:
        """An event's recorded values, dates the Mexican way."""
        self.process_id.data = str(event.process_id)
        self.state_id.data = str(event.state_id)
        self.kind.data = event.kind.value
        self.held_on.data = event.held_on.strftime("%d/%m/%Y")
        self.number.data = str(event.number) if event.kind is PrepEventKind.DRILL else ""
        self.followed_by.data = event.followed_by
        self.outcome.data = event.outcome
        self.notes.data = event.notes
        self.updated.data = event.updated_at.isoformat()

    def load_choices(
        self, processes: list[ElectoralProcess], states: list[tuple[State, list[date]]]
    ) -> None:
        self.process_id.choices = choices(
            [("", "Elija el proceso…"), *((p.id, str(p)) for p in processes)]
        )
        blank = "Elija la entidad…" if states else "Elija primero el proceso"
        self.state_id.choices = choices(
            [("", blank), *((state.id, _state_label(state, days)) for state, days in states)]
        )

    @property
    def chosen_process_id(self) -> int | None:
        return _int(self.process_id.data)

    def event_data(self) -> PrepEventData:
        return PrepEventData(
            process_id=_int(self.process_id.data),
            state_id=_int(self.state_id.data),
            kind=self.kind.data or None,
            held_on=self.held_on.data or "",
            number=self.number.data or "",
            followed_by=self.followed_by.data or "",
            outcome=self.outcome.data or "",
            notes=self.notes.data or "",
        )

    def expected_updated_at(self) -> datetime | None:
        """When the event was last saved, as the page showed it (None: do not compare)."""
        try:
            return datetime.fromisoformat(self.updated.data) if self.updated.data else None
        except ValueError:
            return None


def _state_label(state: State, days: list[date]) -> str:
    """'Guerrero · jornada: 28 de noviembre de 2021'."""
    noun = "jornada" if len(days) == 1 else "jornadas"
    return f"{state.display_name} · {noun}: " + ", ".join(long_date(day) for day in days)


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None
