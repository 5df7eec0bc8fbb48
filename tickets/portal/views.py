"""Requester pages and the folio + access code lookup."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from tickets.accounts.auth import current_actor, roles_required
from tickets.accounts.models import Role
from tickets.core.db import utcnow
from tickets.core.errors import DomainError, ValidationFailed
from tickets.core.forms import put_errors_on_form
from tickets.core.timeutil import to_mx
from tickets.extensions import limiter
from tickets.helpdesk import permissions, services
from tickets.helpdesk import queries as helpdesk_queries
from tickets.helpdesk.attachments import path_for
from tickets.helpdesk.models import Status
from tickets.helpdesk.workflow import FINISHED_STATUSES
from tickets.portal import forms, queries, status, unlock

bp = Blueprint("portal", __name__)

MISMATCH = "El folio o el código de acceso no coinciden."
REISSUED = "Si los datos coinciden, enviamos un código nuevo al correo registrado."
MAX_PAGE = 100_000  # keeps OFFSET inside a 64-bit integer


# --- Rate limits: per address on every POST, per folio across addresses ---------------------


def _lookup_limit() -> str:
    return current_app.config["LOOKUP_RATE_LIMIT"]


def _folio_limit() -> str:
    return current_app.config["LOOKUP_FOLIO_RATE_LIMIT"]


def _posted_folio() -> str:
    return queries.normalise_folio(request.form.get("folio"))


def _folio_key() -> str:
    return f"folio:{_posted_folio()}"


def _no_folio() -> bool:
    return not _posted_folio()


def _refused(response) -> bool:
    return response.status_code == 422


# --- Anonymous lookup ----------------------------------------------------------------------


@bp.route("/consulta", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
@limiter.limit(
    _folio_limit, methods=["POST"], key_func=_folio_key, exempt_when=_no_folio, deduct_when=_refused
)
def lookup():
    """Folio + access code unlock one ticket's public view in this session; same refusal for
    a wrong folio and a wrong code."""
    form = forms.LookupForm()
    if form.validate_on_submit():
        ticket = queries.ticket_by_code(form.folio.data, form.code.data)
        if ticket is not None:
            unlock.remember(ticket)
            return redirect(url_for(".lookup_ticket", folio=ticket.folio))
        form.form_errors.append(MISMATCH)
    page = render_template("portal/lookup.html", form=form, recent=unlock.folios())
    return page, (422 if form.errors else 200)


@bp.get("/consulta/<folio>")
def lookup_ticket(folio: str):
    """The public view of a ticket unlocked in this session; read-only."""
    ticket = unlock.unlocked_ticket_or_404(folio)
    mine = current_user.is_authenticated and current_user.is_requester
    page = render_template(
        "portal/lookup_ticket.html",
        ticket=ticket,
        explanation=status.explain(ticket),
        timeline=queries.public_timeline(ticket),
        full_page=mine and permissions.can_view_ticket(current_actor(), ticket),
    )
    return _private(make_response(page))


@bp.get("/consulta/<folio>/archivos/<int:attachment_id>")
def lookup_attachment(folio: str, attachment_id: int):
    """A public file of a ticket unlocked in this session."""
    ticket = unlock.unlocked_ticket_or_404(folio)
    return _private(_send(queries.public_attachment_or_404(ticket, attachment_id)))


@bp.post("/consulta/<folio>/cerrar")
def lookup_forget(folio: str):
    """Lock the folio again in this browser (shared computers)."""
    unlock.forget(folio)
    flash("Cerró la consulta. Para verla de nuevo escriba el folio y el código.", "info")
    return redirect(url_for(".lookup"))


@bp.route("/consulta/reenviar", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
@limiter.limit(_folio_limit, methods=["POST"], key_func=_folio_key, exempt_when=_no_folio)
def reissue_code():
    """Send a new code to the e-mail on file; the same answer whether or not anything matched."""
    form = forms.ReissueForm()
    if form.validate_on_submit():
        ticket = queries.ticket_by_folio(form.folio.data)
        if ticket is not None:
            services.reissue_access_code(ticket, form.email.data)
        flash(REISSUED, "info")
        return redirect(url_for(".lookup"))
    return render_template("portal/reissue.html", form=form), (422 if form.errors else 200)


# --- Requester pages -----------------------------------------------------------------------


@bp.get("/solicitudes/")
@roles_required(Role.REQUESTER)
def my_requests():
    """The requester's organisation's tickets, filtered, one page at a time without a count."""
    form = forms.RequestFilterForm(formdata=request.args)
    filters, ignored = form.filters()
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    per_page = current_app.config["QUEUE_PAGE_SIZE"]
    result = helpdesk_queries.queue(current_actor(), filters, page=page, per_page=per_page)
    filtering = any(k != "page" and v for k, v in request.args.items())
    return render_template(
        "portal/my_requests.html", form=form, result=result, ignored=ignored, filtering=filtering
    )


@bp.route("/solicitudes/nueva", methods=["GET", "POST"])
@roles_required(Role.REQUESTER)
def new_request():
    """Open a request for the requester's own organisation; the folio (and code) shown once."""
    actor = current_actor()
    if actor.organization is None:
        return _no_organization()
    form = forms.NewRequestForm()
    form.load_choices(actor.organization, to_mx(utcnow()).date())
    if form.validate_on_submit():
        try:
            ticket, code = services.open_ticket(
                actor, form.ticket_data(actor), files=form.uploads()
            )
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash(_opened_message(ticket.folio, code), "success")
            return redirect(url_for(".request_detail", folio=ticket.folio))
    page = render_template("portal/new_request.html", form=form, organization=actor.organization)
    return page, (422 if form.errors else 200)


@bp.get("/solicitudes/<folio>")
@roles_required(Role.REQUESTER)
def request_detail(folio: str):
    """One of the organisation's tickets: status, public timeline, reply, confirm, reopen."""
    actor = current_actor()
    return _detail_page(actor, helpdesk_queries.visible_ticket_or_404(actor, folio))


@bp.post("/solicitudes/<folio>/responder")
@roles_required(Role.REQUESTER)
def reply(folio: str):
    """A public reply with files; a reply to a ticket waiting on the requester resumes it."""
    actor = current_actor()
    ticket = helpdesk_queries.visible_ticket_or_404(actor, folio)
    form = forms.ReplyForm()
    if form.validate_on_submit():
        try:
            services.add_comment(actor, ticket, form.body.data, files=form.uploads())
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash("Enviamos su respuesta a la mesa de ayuda.", "success")
            return redirect(url_for(".request_detail", folio=ticket.folio, _anchor="historial"))
    return _detail_page(actor, ticket, reply_form=form, status_code=422)


@bp.post("/solicitudes/<folio>/confirmar")
@roles_required(Role.REQUESTER)
def confirm(folio: str):
    """'Confirmar solución': the requester closes a resolved ticket."""
    actor = current_actor()
    ticket = helpdesk_queries.visible_ticket_or_404(actor, folio)
    form = forms.ConfirmForm()
    done = "Gracias por confirmar. La solicitud quedó cerrada."
    return _move(actor, ticket, form, Status.CLOSED, done, confirm_form=form)


@bp.post("/solicitudes/<folio>/reabrir")
@roles_required(Role.REQUESTER)
def reopen(folio: str):
    """'Reabrir': the fix did not work; the reason is required and the window is limited."""
    actor = current_actor()
    ticket = helpdesk_queries.visible_ticket_or_404(actor, folio)
    form = forms.ReopenForm()
    done = "Reabrimos su solicitud. La mesa de ayuda retomará la atención."
    return _move(actor, ticket, form, Status.IN_PROGRESS, done, reopen_form=form)


@bp.get("/solicitudes/<folio>/archivos/<int:attachment_id>")
@roles_required(Role.REQUESTER)
def request_attachment(folio: str, attachment_id: int):
    """A file of one of the organisation's tickets; internal files do not exist here."""
    actor = current_actor()
    ticket = helpdesk_queries.visible_ticket_or_404(actor, folio)
    return _send(helpdesk_queries.attachment_or_404(actor, ticket, attachment_id))


# --- helpers -------------------------------------------------------------------------------


def _move(actor, ticket, form, to: Status, done: str, **forms_on_page):
    """Run a requester's status move; a refusal re-renders the page with the reason."""
    status_code = 422
    if form.validate_on_submit():
        reason = form.reason.data if hasattr(form, "reason") else ""
        try:
            services.transition(
                actor, ticket, to, reason=reason or "", expected_version=form.version.data
            )
        except DomainError as exc:
            put_errors_on_form(form, exc.fields or {"": str(exc)})
            status_code = exc.status
        else:
            flash(done, "success")
            return redirect(url_for(".request_detail", folio=ticket.folio))
    return _detail_page(actor, ticket, status_code=status_code, **forms_on_page)


def _detail_page(
    actor, ticket, *, reply_form=None, confirm_form=None, reopen_form=None, status_code=200
):
    version = ticket.version
    confirm_form = confirm_form or forms.ConfirmForm(formdata=None, version=version)
    reopen_form = reopen_form or forms.ReopenForm(formdata=None, version=version)
    context = {
        "ticket": ticket,
        "explanation": status.explain(ticket),
        "timeline": queries.public_timeline(ticket),
        "can_confirm": permissions.can_transition(actor, ticket, Status.CLOSED),
        "can_reopen": permissions.can_transition(actor, ticket, Status.IN_PROGRESS),
        "finished": ticket.status in FINISHED_STATUSES,
        "reply_form": reply_form or forms.ReplyForm(formdata=None),
        "confirm_form": confirm_form,
        "reopen_form": reopen_form,
        "action_errors": [
            *confirm_form.form_errors,
            *confirm_form.version.errors,
            *reopen_form.form_errors,
            *reopen_form.version.errors,
        ],
    }
    return render_template("portal/request_detail.html", **context), status_code


def _opened_message(folio: str, code: str) -> str:
    return (
        f"Registramos su solicitud con el folio {folio}. Código de acceso: {code} "
        "(se muestra solo esta vez y también lo enviamos a su correo). Con el folio y el código "
        "cualquier persona puede consultar el estado de la solicitud sin cuenta."
    )


def _no_organization():
    message = (
        "Su cuenta no está vinculada a una organización, así que aún no puede abrir solicitudes. "
        "Pida a la mesa de ayuda que la vincule."
    )
    return render_template("errors/error.html", status=403, message=message), 403


def _private(response):
    """Pages unlocked by a code stay out of shared caches and the back button of a shared
    computer after "Cerrar esta consulta"."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _send(item):
    path = path_for(item.sha256)
    if not path.is_file():
        abort(404)
    return send_file(
        path, mimetype=item.content_type, as_attachment=True, download_name=item.filename
    )
