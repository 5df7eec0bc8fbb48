"""Portal forms: shape only. Whether a code matches, what a requester may open and when a
ticket may be reopened are decided by portal.queries and helpdesk.services."""

from __future__ import annotations

from datetime import date

from wtforms import DateField, IntegerField, MultipleFileField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput, TextInput

from tickets.accounts.models import User
from tickets.catalogs import queries as catalogs
from tickets.catalogs.models import Organization
from tickets.core.forms import choices
from tickets.helpdesk.attachments import Upload
from tickets.helpdesk.forms import ChoiceField, HelpdeskForm, IdField, Needed, Plausible, uploads
from tickets.helpdesk.models import Channel, Priority, Status
from tickets.helpdesk.queries import QueueFilters
from tickets.helpdesk.validation import TicketData
from tickets.helpdesk.workflow import OPEN_STATUSES, STATUS_LABELS
from tickets.portal import queries

OPEN = "abiertas"  # the status filter's value for every status still being worked


class NoEchoInput(TextInput):
    """A visible text input that never sends back what was typed: a refused access code is
    not echoed into the page (nor into a browser's or a proxy's cache of it)."""

    def __call__(self, field, **kwargs):
        kwargs["value"] = ""
        return super().__call__(field, **kwargs)


class LookupForm(HelpdeskForm):
    """Folio and access code, as the requester received them by e-mail."""

    folio = StringField(
        "Folio",
        validators=[InputRequired("Escriba el folio."), Length(max=40, message="Folio inválido.")],
        render_kw={"placeholder": "TIC-2021-000123", "autocomplete": "off", "spellcheck": "false"},
    )
    code = StringField(
        "Código de acceso",
        widget=NoEchoInput(),
        validators=[
            InputRequired("Escriba el código de acceso."),
            Length(max=40, message="Código inválido."),
        ],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )


class ReissueForm(HelpdeskForm):
    """Folio and the e-mail the request was registered with."""

    folio = LookupForm.folio
    email = StringField(
        "Correo electrónico registrado en la solicitud",
        validators=[
            InputRequired("Escriba el correo electrónico."),
            Length(max=254, message="El correo admite hasta 254 caracteres."),
        ],
        render_kw={"type": "email", "autocomplete": "email", "inputmode": "email"},
    )


class RequestFilterForm(HelpdeskForm):
    """The filter bar of "Mis solicitudes", read from the query string; bad values are ignored."""

    class Meta:
        csrf = False

    q = StringField("Buscar", validators=[Length(max=200)])
    status = ChoiceField(
        "Estado",
        choices=choices(
            [("", "Todas"), (OPEN, "Abiertas"), *((s.value, t) for s, t in STATUS_LABELS.items())]
        ),
        validators=[Optional()],
    )
    received_from = DateField("Desde", validators=[Optional(), Plausible()])
    received_to = DateField("Hasta", validators=[Optional(), Plausible()])

    def filters(self) -> tuple[QueueFilters, list[str]]:
        """The filters to apply, and the labels of the ones ignored for a bad value."""
        self.validate()
        ignored = [field.label.text for field in self if field.errors]
        valid = {field.short_name: field.data for field in self if not field.errors}
        status = valid.get("status") or ""
        statuses = sorted(OPEN_STATUSES) if status == OPEN else [Status(status)] if status else []
        return (
            QueueFilters(
                statuses=statuses,
                received_from=valid.get("received_from"),
                received_to=valid.get("received_to"),
                q=(valid.get("q") or "").strip(),
            ),
            ignored,
        )


class NewRequestForm(HelpdeskForm):
    """What a requester tells the desk; who they are and where comes from their account."""

    system_id = IdField("Sistema", "Seleccione…", validators=[Needed()])
    category_id = IdField("Tipo de ayuda", "Seleccione…", validators=[Needed()])
    process_id = IdField("Proceso electoral", "Actividad ordinaria (sin proceso electoral)")
    subject = StringField(
        "Asunto", validators=[Needed()], render_kw={"maxlength": 200, "autofocus": True}
    )
    description = TextAreaField(
        "Descripción",
        validators=[Needed()],
        render_kw={"rows": 6},
    )
    files = MultipleFileField("Archivos adjuntos (capturas de pantalla, documentos)")

    def load_choices(self, organization: Organization, today: date) -> None:
        """Systems, categories and the processes in course today in the organisation's state."""
        self.system_id.fill(catalogs.active_systems())
        self.category_id.fill(catalogs.active_categories())
        self.process_id.fill(queries.processes_open_for(organization.state_id, today))

    def ticket_data(self, actor: User) -> TicketData:
        """The request as the service takes it: the requester's organisation, state and
        district, channel portal, priority medium (the desk triages it), contact from the
        account."""
        organization = actor.organization
        return TicketData(
            requester_type=organization.kind,
            organization_id=organization.id,
            state_id=organization.state_id,
            district_id=organization.district_id,
            contact_name=actor.name,
            contact_email=actor.email,
            process_id=self.process_id.id_value,
            system_id=self.system_id.id_value,
            category_id=self.category_id.id_value,
            channel=Channel.PORTAL,
            priority=Priority.MEDIUM,
            subject=self.subject.data or "",
            description=self.description.data or "",
        )

    def uploads(self) -> list[Upload]:
        return uploads(self.files.data)


class ReplyForm(HelpdeskForm):
    """A public reply from the requester, with files."""

    body = TextAreaField("Su respuesta", validators=[Needed()], render_kw={"rows": 4})
    files = MultipleFileField("Archivos")

    def uploads(self) -> list[Upload]:
        return uploads(self.files.data)


class VersionedForm(HelpdeskForm):
    """Confirming or reopening carries the version the requester saw."""

    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired("Recargue la página e intente de nuevo.")]
    )


class ConfirmForm(VersionedForm):
    """'Confirmar solución': resolved → closed."""


class ReopenForm(VersionedForm):
    """'Reabrir': resolved → in progress, with the reason the fix did not work."""

    reason = TextAreaField(
        "¿Por qué la solución no resolvió su solicitud?",
        validators=[Needed(), Length(max=4000, message="El motivo admite hasta 4,000 caracteres.")],
        render_kw={"rows": 3},
    )
