"""The admins' SLA page: targets per priority, the Institute's days off, official holidays."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from tickets.accounts.auth import admin_required, current_actor
from tickets.core.db import utcnow
from tickets.core.errors import Conflict, NotFound, ValidationFailed
from tickets.core.forms import put_errors_on_form
from tickets.core.timeutil import long_date, to_mx
from tickets.helpdesk.models import Priority
from tickets.sla import admin, services
from tickets.sla.forms import NonWorkingDayForm, PoliciesForm

bp = Blueprint("sla", __name__, url_prefix="/admin/sla")

TARGETS = ("first_response", "resolution")


@bp.get("/")
@admin_required
def index():
    """The policies in one form, the days off with their add form, and the official holidays."""
    return _page()


@bp.post("/")
@admin_required
def save_policies():
    """Save the four policies together; every open ticket gets its new due times."""
    form = PoliciesForm()
    if form.validate_on_submit():
        try:
            outcome = admin.update_policies(current_actor(), _policy_values(form), utcnow())
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        except Conflict as exc:
            form.form_errors.append(exc.message)
        else:
            flash(_saved_message(outcome), "success")
            return redirect(url_for(".index"))
    return _page(policies_form=form)


@bp.post("/dias")
@admin_required
def add_day():
    """Register a day the Institute does not work."""
    form = NonWorkingDayForm()
    if form.validate_on_submit():
        try:
            row = admin.add_non_working_day(
                current_actor(), form.day.data, form.description.data, utcnow()
            )
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash(f"Se registró el {long_date(row.day)} como día inhábil.", "success")
            return redirect(url_for(".index", _anchor="dias"))
    return _page(day_form=form)


@bp.post("/dias/<int:day_id>/borrar")
@admin_required
def remove_day(day_id: int):
    """Remove a day off; the office hours of that day count again."""
    try:
        row = admin.remove_non_working_day(current_actor(), day_id, utcnow())
    except NotFound:
        abort(404)
    flash(f"El {long_date(row.day)} vuelve a ser día hábil.", "success")
    return redirect(url_for(".index", _anchor="dias"))


def _stored_policies_form(rows: list[admin.PolicyRow]) -> PoliciesForm:
    """The policy form filled with what is stored (never with what a refused form sent)."""
    form = PoliciesForm(formdata=None)
    for row in rows:
        form.target(row.priority, "first_response").data = row.first_response_minutes
        form.target(row.priority, "resolution").data = row.resolution_minutes
    return form


def _policy_values(form: PoliciesForm) -> dict[Priority, admin.PolicyMinutes]:
    return {
        priority: admin.PolicyMinutes(
            form.target(priority, "first_response").data, form.target(priority, "resolution").data
        )
        for priority in Priority
    }


def _saved_message(outcome) -> str:
    if outcome is None:
        return "No hubo cambios en los plazos."
    count = outcome.count
    if outcome.deferred:
        return (
            f"Plazos guardados. Los vencimientos de {count:,} tickets abiertos se recalculan en "
            "segundo plano durante el próximo minuto."
        )
    if count == 0:
        return "Plazos guardados. No hay tickets abiertos que recalcular."
    tickets = "ticket abierto" if count == 1 else "tickets abiertos"
    return f"Plazos guardados. Se recalcularon los vencimientos de {count} {tickets}."


def _page(policies_form: PoliciesForm | None = None, day_form: NonWorkingDayForm | None = None):
    """Render the page: 422 when a form was refused, keeping what the admin typed in it."""
    rows = admin.policy_rows()
    policies_form = policies_form or _stored_policies_form(rows)
    day_form = day_form or NonWorkingDayForm(formdata=None)
    year = to_mx(utcnow()).year
    page = render_template(
        "sla/index.html",
        form=policies_form,
        day_form=day_form,
        rows=rows,
        days=admin.non_working_days(),
        holidays=admin.official_holidays(year, year + 1),
        years=(year, year + 1),
        targets=TARGETS,
        recompute_pending=services.recompute_pending(),
    )
    return page, (422 if policies_form.errors or day_form.errors else 200)
