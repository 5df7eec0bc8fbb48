"""Helpdesk forms: shape only. The rules (what belongs to what, dates, workflow) live in
helpdesk.validation and helpdesk.services, which report every broken rule at once."""

from __future__ import annotations

import functools
import re
from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from tickets.catalogs import queries as catalogs
from tickets.catalogs.models import REQUESTER_TYPE_LABELS, RequesterType
from tickets.core.db import utcnow
from tickets.core.forms import choices
from tickets.core.text import fold
from tickets.core.timeutil import local_to_utc, to_mx
from tickets.helpdesk import queries
from tickets.helpdesk.attachments import Upload
from tickets.helpdesk.models import Channel, Priority, Status
from tickets.helpdesk.queries import QueueFilters
from tickets.helpdesk.validation import TicketData
from tickets.helpdesk.workflow import CHANNEL_LABELS, PRIORITY_LABELS, STATUS_LABELS

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
FIRST_YEAR, LAST_YEAR = 2000, 2100
ORDINARY = "ordinaria"  # the queue's process filter value for "actividad ordinaria"
UNASSIGNED = "ninguno"  # the queue's assignee filter value for "sin asignar"
SORT_LABELS = {
    "recent": "Recibidos más recientes",
    "oldest": "Recibidos más antiguos",
    "priority": "Prioridad",
    "updated": "Actualizados recientemente",
}


# C0 controls other than tab and line breaks: never typed on purpose, and PostgreSQL refuses NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _without_controls(value):
    return _CONTROL.sub("", value) if isinstance(value, str) else value


class HelpdeskForm(FlaskForm):
    """Every helpdesk form: typed text loses stray control characters before anything reads it."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, StringField):  # also text areas, e-mail
                filters = unbound_field.kwargs.get("filters") or ()
                options = {**options, "filters": (*filters, _without_controls)}
            return unbound_field.bind(form=form, **options)


class ChoiceField(SelectField):
    """A select whose refusal of an unknown value reads well in Spanish."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "SelectField"  # the shared form macros style selects by this name

    def pre_validate(self, form):
        if self.validate_choice and self.data not in {c.value for c in self.choices}:
            raise ValidationError("Elija una opción de la lista.")


class IdField(SelectField):
    """A catalog select filled per request; any id passes here and the service checks it."""

    def __init__(self, label, blank: str, **kwargs):
        super().__init__(label, validate_choice=False, **kwargs)
        self.type = "SelectField"  # the shared form macros style selects by this name
        self.blank = blank

    def pre_validate(self, form):
        if self.data and _int(self.data) is None:
            raise ValidationError("Elija una opción de la lista.")

    def fill(self, rows, label=str, keep=None) -> None:
        """The blank choice, then ``rows``; ``keep`` (the value saved on a ticket) stays offered
        even when its catalog entry was deactivated or belongs elsewhere."""
        pairs = [("", self.blank), *((row.id, label(row)) for row in rows)]
        if keep is not None and keep.id not in {row.id for row in rows}:
            pairs.append((keep.id, f"{label(keep)} (valor actual)"))
        self.choices = choices(pairs)

    @property
    def id_value(self) -> int | None:
        return _int(self.data)


class LocalDateTimeField(DateTimeLocalField):
    """A datetime-local input read as Mexico City wall-clock time."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            message = "Escriba la fecha y la hora completas (día, mes, año y hora)."
            raise ValueError(message) from exc


class Plausible:
    """Dates far outside the desk's life are typos, and would overflow time-zone arithmetic."""

    def __call__(self, form, field):
        if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            raise ValidationError(f"Escriba una fecha entre {FIRST_YEAR} y {LAST_YEAR}.")


class Needed:
    """Marks a field as required on screen; the service writes the message, so an operator sees
    every missing or wrong field in one pass instead of one batch from the form and another
    from the rules."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        return None


class TicketForm(HelpdeskForm):
    """The intake form an operator fills while on the phone."""

    requester_type = ChoiceField(
        "Tipo de solicitante",
        choices=choices((t.value, label) for t, label in REQUESTER_TYPE_LABELS.items()),
        default=RequesterType.JUNTA.value,
        render_kw={"autofocus": True},
    )
    state_id = IdField("Entidad federativa", "— Sin entidad (oficinas centrales) —")
    organization_id = IdField("Organización solicitante", "Seleccione…", validators=[Needed()])
    district_id = IdField("Distrito electoral federal", "— Sin distrito —")
    office_id = IdField("Junta (oficina)", "— La de la organización, si es Junta —")
    process_id = IdField("Proceso electoral", "Actividad ordinaria")
    system_id = IdField("Sistema", "Seleccione…", validators=[Needed()])
    category_id = IdField("Categoría", "Seleccione…", validators=[Needed()])
    priority = ChoiceField(
        "Prioridad",
        choices=choices((p.value, label) for p, label in PRIORITY_LABELS.items()),
        default=Priority.MEDIUM.value,
    )
    channel = ChoiceField(
        "Canal",
        choices=choices((c.value, label) for c, label in CHANNEL_LABELS.items()),
        default=Channel.PHONE.value,
    )
    contact_name = StringField("Nombre de quien solicita", validators=[Needed()])
    contact_email = EmailField("Correo electrónico", render_kw={"autocomplete": "off"})
    contact_phone = StringField(
        "Teléfono",
        validators=[Length(max=40, message="El teléfono admite hasta 40 caracteres.")],
        render_kw={"inputmode": "tel", "autocomplete": "off"},
    )
    subject = StringField("Asunto", validators=[Needed()], render_kw={"maxlength": 200})
    description = TextAreaField("Descripción", validators=[Needed()], render_kw={"rows": 5})
    received_at = LocalDateTimeField(
        "Recibido el (hora de la Ciudad de México)",
        format=DATETIME_FORMATS,
        validators=[Optional(), Plausible()],
    )
    files = MultipleFileField("Archivos adjuntos")

    def set_defaults(self) -> None:
        """A new ticket was received now, to the minute."""
        self.received_at.data = to_mx(utcnow()).replace(tzinfo=None, second=0, microsecond=0)

    def load_choices(self, keep=None) -> None:
        """Fill the catalog selects for the chosen state and requester type, so a refused form
        shows the right options without JavaScript; ``keep`` is the ticket being edited."""
        state_id = self.state_id.id_value
        kind = _enum(RequesterType, self.requester_type.data)
        states = sorted(catalogs.active_states(), key=lambda s: fold(s.display_name))
        self.state_id.fill(states, lambda s: s.display_name, _kept(keep, "state"))
        self.organization_id.fill(
            catalogs.organizations_of(state_id, kind), keep=_kept(keep, "organization")
        )
        self.district_id.fill(catalogs.districts_of(state_id), keep=_kept(keep, "district"))
        juntas = catalogs.organizations_of(state_id, RequesterType.JUNTA) if state_id else []
        self.office_id.fill(juntas, keep=_kept(keep, "office"))
        processes = catalogs.processes_for_state(state_id)
        self.process_id.fill(processes, keep=_kept(keep, "process"))
        self.system_id.fill(catalogs.active_systems(), keep=_kept(keep, "system"))
        self.category_id.fill(catalogs.active_categories(), keep=_kept(keep, "category"))

    def ticket_data(self, received_at: datetime | None = None) -> TicketData:
        """What the service needs, from what was typed (received_at in UTC)."""
        if received_at is None and self.received_at.data is not None:
            received_at = local_to_utc(self.received_at.data)
        return TicketData(
            requester_type=RequesterType(self.requester_type.data),
            organization_id=self.organization_id.id_value,
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or None,
            contact_phone=self.contact_phone.data or None,
            state_id=self.state_id.id_value,
            district_id=self.district_id.id_value,
            office_id=self.office_id.id_value,
            process_id=self.process_id.id_value,
            system_id=self.system_id.id_value,
            category_id=self.category_id.id_value,
            channel=Channel(self.channel.data),
            priority=Priority(self.priority.data),
            subject=self.subject.data or "",
            description=self.description.data or "",
            received_at=received_at,
        )

    def uploads(self) -> list[Upload]:
        return uploads(self.files.data) if self.files else []


class EditTicketForm(TicketForm):
    """Reclassify or correct a ticket: the intake form without files or the reception time
    (neither changes after intake), plus the version the operator saw."""

    files = None
    received_at = None
    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired("Recargue la página e intente de nuevo.")]
    )


class VersionedForm(HelpdeskForm):
    """Every action on a ticket carries the version the person saw (optimistic locking)."""

    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired("Recargue la página e intente de nuevo.")]
    )


class AssignForm(VersionedForm):
    NOBODY = "— Sin asignar —"  # also the first option of the ticket page's assignee select
    assignee_id = IdField("Responsable", NOBODY)
    take = SubmitField("Tomar")
    submit = SubmitField("Asignar")

    def load_choices(self, staff, current=None) -> dict:
        """Offer the active staff (and the current assignee); return them by id."""
        self.assignee_id.fill(staff, lambda u: u.name, keep=current)
        people = {u.id: u for u in staff}
        if current is not None:
            people.setdefault(current.id, current)
        return people

    def validate_assignee_id(self, field) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Elija a una persona de la lista.")


class StatusForm(VersionedForm):
    status = ChoiceField(
        "Nuevo estado", choices=choices((s.value, label) for s, label in STATUS_LABELS.items())
    )


class CommentForm(VersionedForm):
    body = TextAreaField("Comentario", validators=[Needed()], render_kw={"rows": 4})
    internal = BooleanField("Nota interna (solo la ve el personal de la mesa)")
    files = MultipleFileField("Archivos")

    def uploads(self) -> list[Upload]:
        return uploads(self.files.data)


class QueueFilterForm(HelpdeskForm):
    """The queue's filter bar, read from the query string; a bad value is ignored, not fatal."""

    class Meta:
        csrf = False

    q = StringField("Buscar", validators=[Length(max=200)])
    status = SelectMultipleField(
        "Estado", choices=choices((s.value, label) for s, label in STATUS_LABELS.items())
    )
    priority = ChoiceField("Prioridad", validators=[Optional()])
    state = ChoiceField("Entidad", validators=[Optional()])
    # "process" is a method of every form, so the field keeps that name only in the URL.
    process_filter = ChoiceField("Proceso", name="process", validators=[Optional()])
    system = ChoiceField("Sistema", validators=[Optional()])
    requester_type = ChoiceField("Tipo de solicitante", validators=[Optional()])
    assignee = ChoiceField("Responsable", validators=[Optional()])
    received_from = DateField("Recibido desde", validators=[Optional(), Plausible()])
    received_to = DateField("Recibido hasta", validators=[Optional(), Plausible()])
    mine = BooleanField("Solo mis tickets", false_values=("0", "false", "", "no"))
    sort = ChoiceField(
        "Orden", choices=choices(SORT_LABELS.items()), default="recent", validators=[Optional()]
    )

    def load_choices(self) -> None:
        """The catalog selects. Every request learns whether the catalogs changed (their token
        comes with the logged-in user), so an admin's edit shows at once in every worker; the
        catalogs are read, and the choices rebuilt, only when they did."""
        built = _queue_filter_choices(queries.queue_filter_catalogs())
        self.priority.choices = list(PRIORITY_FILTER_CHOICES)
        self.requester_type.choices = list(REQUESTER_TYPE_FILTER_CHOICES)
        for name, field_choices in built.items():
            getattr(self, name).choices = list(field_choices)

    def filters(self) -> tuple[QueueFilters, list[str]]:
        """The filters to apply, and the labels of the ones ignored for a bad value."""
        self.validate()
        ignored = [field.label.text for field in self if field.errors]
        valid = {field.short_name: field.data for field in self if not field.errors}
        process, assignee = valid.get("process"), valid.get("assignee")
        return (
            QueueFilters(
                statuses=[Status(v) for v in valid.get("status") or []],
                priority=_enum(Priority, valid.get("priority")),
                state_id=_int(valid.get("state")),
                process_id=_int(process),
                ordinary=process == ORDINARY,
                system_id=_int(valid.get("system")),
                requester_type=_enum(RequesterType, valid.get("requester_type")),
                assignee_id=_int(assignee),
                unassigned=assignee == UNASSIGNED,
                mine=bool(valid.get("mine")),
                received_from=valid.get("received_from"),
                received_to=valid.get("received_to"),
                q=(valid.get("q") or "").strip(),
                sort=valid.get("sort") or "recent",
            ),
            ignored,
        )


_ANY = ("", "Todos")
PRIORITY_FILTER_CHOICES = tuple(choices([_ANY, *PRIORITY_LABELS.items()]))
REQUESTER_TYPE_FILTER_CHOICES = tuple(choices([_ANY, *REQUESTER_TYPE_LABELS.items()]))


# Keyed by the catalog rows themselves (catalogs carry no version column): equal rows give equal
# choices, and a change made through any worker is a miss on that worker's next request. A few
# entries, so a changed catalog does not keep old versions around.
@functools.lru_cache(maxsize=4)
def _queue_filter_choices(rows: tuple[tuple, ...]) -> dict[str, tuple[SelectChoice, ...]]:
    """The queue filter's catalog choices by field name, from `queries.queue_filter_catalogs`."""
    by_section: dict[str, list[tuple]] = {}
    for section, ident, label, extra in rows:
        by_section.setdefault(section, []).append((ident, label, extra))
    states = sorted(by_section.get("1state", []), key=lambda row: fold(row[1]))
    processes = ((ident, f"{key} · {name}") for ident, key, name in by_section.get("2process", []))
    systems = ((ident, name) for ident, name, _ in by_section.get("3system", []))
    staff = ((ident, name) for ident, name, _ in by_section.get("4staff", []))
    return {
        "state": tuple(choices([("", "Todas"), *((i, name) for i, name, _ in states)])),
        "process_filter": tuple(choices([_ANY, (ORDINARY, "Actividad ordinaria"), *processes])),
        "system": tuple(choices([_ANY, *systems])),
        "assignee": tuple(choices([_ANY, (UNASSIGNED, "Sin asignar"), *staff])),
    }


def uploads(files) -> list[Upload]:
    """The files a multiple file input sent; an empty input sends one nameless part."""
    return [
        Upload(filename=f.filename, stream=f.stream, content_type=f.mimetype)
        for f in files or []
        if f and f.filename
    ]


def _kept(ticket, name: str):
    return getattr(ticket, name) if ticket is not None else None


MAX_ID = 2**31 - 1  # primary keys are 32-bit INTEGER on PostgreSQL


def _int(value) -> int | None:
    """A catalog or user id, or None; text and out-of-range numbers never reach the database."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _enum(cls, value):
    try:
        return cls(value) if value else None
    except ValueError:
        return None
