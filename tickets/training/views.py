"""Training log pages: the list with the month's total, and the form to log or correct a session."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from tickets.accounts.auth import current_actor, roles_required, staff_required
from tickets.accounts.models import Role
from tickets.core.db import utcnow
from tickets.core.errors import ValidationFailed
from tickets.core.forms import put_errors_on_form
from tickets.core.timeutil import long_date, report_month
from tickets.training import forms, queries, services

bp = Blueprint("training", __name__, url_prefix="/capacitacion")

writers_required = roles_required(Role.ADMIN, Role.SUPERVISOR)
MAX_PAGE = 100_000  # far past any real log; keeps OFFSET inside a 64-bit integer
REFRESH = "actualizar"  # the form's no-JavaScript button: show the chosen state's offices


@bp.get("/")
@staff_required
def index():
    """Sessions, newest first, filtered by month, state, modality and system, with totals."""
    actor = current_actor()
    form = forms.FilterForm(formdata=request.args)
    form.load_choices()
    if "month" not in request.args:  # first visit: the latest month with sessions
        form.month.data = queries.latest_month() or report_month(utcnow())
    filters, ignored = form.filters()
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    per_page = current_app.config.get("TRAINING_PAGE_SIZE", 50)
    context = {
        "form": form,
        "filters": filters,
        "ignored": ignored,
        "result": queries.sessions_page(actor, filters, page=page, per_page=per_page),
        "summary": queries.summary(actor, filters),
        "month_total": queries.people_trained(filters.month) if filters.month else None,
        "month_label": forms.month_label(filters.month) if filters.month else None,
        "neighbours": forms.neighbour_months(filters.month) if filters.month else (None, None),
        "can_write": services.can_record_training(actor),
        "modality_labels": forms.MODALITY_LABELS,
    }
    return render_template("training/list.html", **context)


@bp.route("/nueva", methods=["GET", "POST"])
@writers_required
def new():
    """Log a session; a refused form keeps what was typed."""
    form = forms.SessionForm()
    return _form_page(
        form, None, lambda: services.record_session(current_actor(), form.session_data())
    )


@bp.route("/<int:session_id>/editar", methods=["GET", "POST"])
@writers_required
def edit(session_id: int):
    """Correct a logged session."""
    actor = current_actor()
    session = queries.session_or_404(actor, session_id)
    form = forms.SessionForm(obj=session)
    return _form_page(
        form, session, lambda: services.update_session(actor, session, form.session_data())
    )


@bp.get("/oficinas")
@writers_required
def offices():
    """The Juntas and OPL of one state, for the form's office choices."""
    state_id = request.args.get("state_id", type=int)
    rows = queries.offices_of(state_id)
    return jsonify([{"id": o.id, "label": o.name} for o in rows])


def _form_page(form: forms.SessionForm, session, save):
    """Validate and save, or re-render the form (422 when refused) with the state's offices."""
    refreshing = request.method == "POST" and REFRESH in request.form
    if not refreshing and form.validate_on_submit():
        try:
            saved = save()
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            verb = "corregida" if session else "registrada"
            flash(f"Sesión de capacitación del {long_date(saved.held_on)} {verb}.", "success")
            return redirect(url_for(".index", month=saved.held_on.strftime("%Y-%m")))
    form.load_choices(keep=session)
    status = 422 if form.errors else 200
    return render_template("training/form.html", form=form, session=session), status
