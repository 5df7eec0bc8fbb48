"""Staff pages for logging and working tickets: intake, queue, ticket page and its actions."""

from __future__ import annotations

from typing import NamedTuple

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    get_template_attribute,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from tickets.accounts.auth import current_actor, staff_required
from tickets.core.dbsetup import reads_only
from tickets.core.errors import Conflict, DomainError, ValidationFailed
from tickets.core.forms import flash_form_errors, put_errors_on_form
from tickets.core.rendering import kept, kept_macro, mark_selected
from tickets.helpdesk import forms, permissions, queries, services
from tickets.helpdesk.attachments import path_for
from tickets.helpdesk.models import Status
from tickets.helpdesk.workflow import ALLOWED_MOVES, MOVE_LABELS, STATUS_LABELS
from tickets.sla.display import sla_cells

bp = Blueprint("helpdesk", __name__, url_prefix="/tickets")

MAX_PAGE = 100_000  # far past any real queue; keeps OFFSET inside a 64-bit integer


@bp.get("/")
@reads_only
@staff_required
def queue():
    """The queue: filters in the query string, one page at a time, no total count."""
    bar = _filter_bar()
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    per_page = current_app.config["QUEUE_PAGE_SIZE"]
    result = queries.queue_rows(current_actor(), bar.filters, page=page, per_page=per_page)
    return render_template(
        "helpdesk/queue.html",
        bar=bar,
        result=result,
        table_rows=_table_rows(result.tickets),
    )


class FilterBar(NamedTuple):
    """The queue's filter bar for one query string: what it filters, what it ignored, its HTML."""

    filters: queries.QueueFilters
    ignored: tuple[str, ...]
    mine: bool
    html: Markup


def _filter_bar() -> FilterBar:
    """The filter bar of this request's query string (the page number aside).

    Reading the query through WTForms (a dozen fields bound, validated) and writing the bar
    was about a sixth of the queue page's time, and follows from two things only: the query
    string and the catalogs the choices come from. The desk reloads the same views all day,
    so a bar is kept per worker for each query string and catalog token (`g.catalog_token`,
    read with the user): an admin's catalog edit is a new token, hence a new bar, on every
    worker. Nothing in it belongs to a person ("Solo mis tickets" is applied by the query)."""
    query = tuple(item for item in request.args.items(multi=True) if item[0] != "page")
    token = g.get("catalog_token")
    if token is None:
        return _build_filter_bar(query)
    return kept("queue filter bar", _build_kept_filter_bar, maxsize=256)(token, query)


def _build_kept_filter_bar(token: int, query: tuple) -> FilterBar:
    return _build_filter_bar(query)  # the token is only the key


def _build_filter_bar(query: tuple[tuple[str, str], ...]) -> FilterBar:
    form = forms.QueueFilterForm(formdata=MultiDict(query))
    form.load_choices()
    filters, ignored = form.filters()
    render = get_template_attribute("helpdesk/_queue_filters.html", "filter_bar")
    html = render(form, _filter_options(form), bool(query))
    return FilterBar(filters, tuple(ignored), bool(form.mine.data), html)


@bp.route("/nuevo", methods=["GET", "POST"])
@staff_required
def new():
    """Log a ticket; the access code is shown once, in the confirmation."""
    form = forms.TicketForm()
    if form.validate_on_submit():
        try:
            ticket, code = services.open_ticket(
                current_actor(), form.ticket_data(), files=form.uploads()
            )
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash(
                f"Ticket {ticket.folio} registrado. Código de acceso: {code} "
                "(se muestra solo esta vez).",
                "success",
            )
            return redirect(url_for(".detail", folio=ticket.folio))
    elif not form.is_submitted():
        form.set_defaults()
    form.load_choices()
    status = 422 if form.errors else 200
    return render_template("helpdesk/ticket_form.html", form=form, ticket=None), status


@bp.get("/<folio>")
@reads_only
@staff_required
def detail(folio: str):
    """The ticket page: classification, dates, timeline and the action forms."""
    actor = current_actor()
    ticket, names = queries.ticket_page_or_404(actor, folio)
    return _detail_page(actor, ticket, names=names)


@bp.route("/<folio>/editar", methods=["GET", "POST"])
@staff_required
def edit(folio: str):
    """Reclassify or correct a ticket; a stale page is refused and the newer change kept."""
    actor = current_actor()
    ticket = queries.visible_ticket_or_404(actor, folio)
    form = forms.EditTicketForm(obj=ticket)
    status = 200
    if form.validate_on_submit():
        try:
            services.update(
                actor,
                ticket,
                form.ticket_data(received_at=ticket.received_at),
                expected_version=form.version.data,
            )
        except (ValidationFailed, Conflict) as exc:
            put_errors_on_form(form, exc.fields or {"": str(exc)})
            status = exc.status
        else:
            flash(f"Ticket {ticket.folio} actualizado.", "success")
            return redirect(url_for(".detail", folio=ticket.folio))
    form.load_choices(keep=ticket)
    status = 422 if form.errors and status == 200 else status
    return render_template("helpdesk/ticket_form.html", form=form, ticket=ticket), status


@bp.post("/<folio>/asignar")
@staff_required
def assign(folio: str):
    """Give the ticket to a person of the desk, or take it ("Tomar")."""
    actor = current_actor()
    ticket = queries.visible_ticket_or_404(actor, folio)
    form = forms.AssignForm()
    people = form.load_choices(queries.staff_users(), current=ticket.assignee)
    if form.validate_on_submit():
        assignee = actor if form.take.data else people.get(form.assignee_id.id_value)
        done = f"Ticket asignado a {assignee.name}." if assignee else "Ticket sin responsable."
        _attempt(done, services.assign, actor, ticket, assignee, form.version.data)
    else:
        flash_form_errors(form)
    return redirect(url_for(".detail", folio=ticket.folio))


@bp.post("/<folio>/estado")
@staff_required
def change_status(folio: str):
    """Apply one of the moves the workflow allows from the current status."""
    actor = current_actor()
    ticket = queries.visible_ticket_or_404(actor, folio)
    form = forms.StatusForm()
    if form.validate_on_submit():
        to = Status(form.status.data)
        done = f"Ticket {ticket.folio}: {STATUS_LABELS[to]}."
        _attempt(done, services.transition, actor, ticket, to, form.version.data)
    else:
        flash_form_errors(form)
    return redirect(url_for(".detail", folio=ticket.folio))


@bp.post("/<folio>/comentarios")
@staff_required
def comment(folio: str):
    """Add a reply or an internal note, with files; a refused one keeps what was typed."""
    actor = current_actor()
    ticket = queries.visible_ticket_or_404(actor, folio)
    form = forms.CommentForm()
    if form.validate_on_submit():
        try:
            services.add_comment(
                actor, ticket, form.body.data, internal=form.internal.data, files=form.uploads()
            )
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            done = "Nota interna agregada." if form.internal.data else "Comentario agregado."
            flash(done, "success")
            return redirect(url_for(".detail", folio=ticket.folio, _anchor="historial"))
    return _detail_page(actor, ticket, comment_form=form, status=422)


@bp.get("/<folio>/archivos/<int:attachment_id>")
@staff_required
def attachment(folio: str, attachment_id: int):
    """Download a file of a ticket the person may see; never by bare attachment id."""
    actor = current_actor()
    ticket = queries.visible_ticket_or_404(actor, folio)
    item = queries.attachment_or_404(actor, ticket, attachment_id)
    path = path_for(item.sha256)
    if not path.is_file():
        abort(404)
    return send_file(
        path, mimetype=item.content_type, as_attachment=True, download_name=item.filename
    )


def _attempt(done: str, operation, actor, ticket, argument, version: int | None) -> None:
    """Run one ticket action and flash its outcome; a refused action flashes the reason."""
    try:
        operation(actor, ticket, argument, expected_version=version)
    except DomainError as exc:
        flash(str(exc), "danger")
    else:
        flash(done, "success")


def _table_rows(tickets: list) -> Markup:
    """The queue's rows as one piece of HTML (helpdesk/_queue_row.html). A row's HTML follows
    from its columns and its SLA cell now, so each distinct row is rendered once and kept: the
    desk reloads the same pages all day, and fifty rows of ten columns were most of the page's
    rendering. Rows are queries.QueueRow: hashable, the names already in them. Joined here,
    the template writes them in one step instead of fifty."""
    if not tickets:
        return Markup()
    render = kept_macro("helpdesk/_queue_row.html", "queue_row", maxsize=2048)  # ~2 KB a row
    detail_url = url_for(".detail", folio="-").removesuffix("-")  # one url_for, not fifty
    cells = sla_cells(tickets)
    return Markup().join(
        render(row, sla, detail_url) for row, sla in zip(tickets, cells, strict=True)
    )


def _filter_options(form: forms.QueueFilterForm) -> dict[str, Markup]:
    """Each filter select's <option>s by field name, the chosen one marked as WTForms marks it
    (the option whose value equals the field's data; none for a refused value). A choice list
    is rendered once: catalog choices change only when an admin edits a catalog."""
    render = kept_macro("helpdesk/_queue_filters.html", "options", maxsize=32)
    options = {}
    for field in form:
        if isinstance(field, forms.ChoiceField):
            html = render(tuple((c.value, c.label) for c in field.choices))
            options[field.name] = mark_selected(html, field.data)
    return options


def _detail_page(actor, ticket, comment_form=None, status: int = 200, names=None):
    """The ticket page. A closed or cancelled ticket (most of the desk's history) offers neither
    the assignee select nor a status move, so it loads no staff list. ``names`` are the catalog
    entries and people it shows (queries.TicketNames). Its action forms are written by the
    template from the ticket's version: building AssignForm, StatusForm and a blank CommentForm
    (and the WTForms translations their first field loads) cost a tenth of the page. Only a
    refused comment comes back as a form, with what was typed and its errors."""
    names = names or queries.ticket_names(ticket)
    show_assign = ticket.status not in (Status.CLOSED, Status.CANCELLED) and (
        permissions.can_assign(actor, ticket, None)
    )
    context = {
        "ticket": ticket,
        "names": names,
        "timeline": queries.timeline(actor, ticket),
        "show_assign": show_assign,
        "assignee_options": _assignee_options(ticket, names) if show_assign else None,
        "moves": _moves(ticket),
        "can_cancel": Status.CANCELLED in ALLOWED_MOVES[ticket.status],
        "comment_form": comment_form,
        "comment_fields": _comment_fields(comment_form),
    }
    return render_template("helpdesk/detail.html", **context), status


def _assignee_options(ticket, names) -> Markup:
    """The assignee select's <option>s as AssignForm wrote them: none, then active staff by
    name, then the current assignee if no longer among them (with "(valor actual)"), the
    current one selected. The list is rendered once per distinct staff list, as the queue's
    filters are, and the assignee's name comes with the ticket instead of a lazy load."""
    pairs = [("", forms.AssignForm.NOBODY), *queries.staff_choices()]
    if ticket.assignee_id is not None and ticket.assignee_id not in {p[0] for p in pairs}:
        pairs.append((ticket.assignee_id, f"{names.assignee} (valor actual)"))
    render = kept_macro("helpdesk/_queue_filters.html", "options", maxsize=32)  # the queue's cache
    return mark_selected(render(tuple(pairs)), ticket.assignee_id or "")


def _comment_fields(refused: forms.CommentForm | None) -> Markup:
    """The comment inputs: a refused form as typed, with its errors; a blank one rendered once
    per app and attachment settings (its three WTForms widgets were a tenth of the page)."""
    macro = get_template_attribute("helpdesk/_comment_fields.html", "comment_fields")
    if refused is not None:
        return macro(refused)
    config = current_app.config
    limits = (tuple(sorted(config["ATTACHMENT_EXTENSIONS"])), config["ATTACHMENT_MAX_BYTES"])
    return kept("blank comment fields", _blank_comment_fields, maxsize=4)(macro, limits)


def _blank_comment_fields(macro, limits: tuple) -> Markup:
    return macro(forms.CommentForm(formdata=None))  # ``limits`` only keys what the macro shows


def _moves(ticket) -> list[tuple[str, str]]:
    """The buttons for the current status, in workflow order. Assigning lives in its own form
    (it needs a person) and cancelling behind a confirmation."""
    allowed = ALLOWED_MOVES[ticket.status] - {Status.CANCELLED}
    if ticket.assignee_id is None:
        allowed -= {Status.ASSIGNED}
    return [(to.value, MOVE_LABELS[to]) for to in Status if to in allowed]
