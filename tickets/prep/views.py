"""PREP follow-up pages: the drills against the election day, and the form to record them.

Staff read; supervisors and administrators write (the service checks it again).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from tickets.accounts.auth import current_actor, roles_required, staff_required
from tickets.accounts.models import Role
from tickets.core.db import utcnow
from tickets.core.errors import Conflict, ValidationFailed
from tickets.core.forms import put_errors_on_form
from tickets.core.timeutil import long_date, to_mx
from tickets.prep import forms, queries, services
from tickets.prep.models import PrepEvent

bp = Blueprint("prep", __name__, url_prefix="/prep")

writers_required = roles_required(Role.ADMIN, Role.SUPERVISOR)


@bp.get("/")
@staff_required
def index():
    """Per process and state: the OPL, the election day, the drills and the operation."""
    wanted = request.args.get("process", "").strip()
    selected = queries.process_by_key(wanted)
    ids = [selected.id] if selected else queries.process_ids_with_events()
    return render_template(
        "prep/index.html",
        processes=queries.all_processes_with_elections(),
        selected=selected,
        ignored=wanted if wanted and selected is None else None,
        follow_ups=queries.follow_up(ids),
        can_write=services.can_record_prep(current_actor()),
    )


@bp.route("/nuevo", methods=["GET", "POST"])
@writers_required
def new():
    """Record a drill or an operation; "Ver las entidades" only reloads the state choices."""
    form = forms.PrepEventForm()
    if not form.is_submitted():
        args = request.args
        process = queries.process_by_key(args.get("process"))
        form.prefill(
            process or _default_process(), queries.state_by_key(args.get("state")), args.get("kind")
        )
    elif not form.refresh.data and form.validate():
        try:
            event = services.record_event(current_actor(), form.event_data())
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash(f"Se registró {_done(event)}.", "success")
            return redirect(url_for(".index", process=event.process.key))
    return _form_page(form, None)


@bp.route("/<int:event_id>/editar", methods=["GET", "POST"])
@writers_required
def edit(event_id: int):
    """Correct a recorded drill or operation; a stale page is refused, the newer change kept."""
    event = queries.event_or_404(event_id)
    form = forms.PrepEventForm()
    if not form.is_submitted():
        form.fill_from(event)
    elif not form.refresh.data and form.validate():
        try:
            services.update_event(
                current_actor(),
                event,
                form.event_data(),
                expected_updated_at=form.expected_updated_at(),
            )
        except (ValidationFailed, Conflict) as exc:
            put_errors_on_form(form, exc.fields or {"": str(exc)})
            return _form_page(form, event, status=exc.status)
        else:
            flash(f"Se actualizó {_done(event)}.", "success")
            return redirect(url_for(".index", process=event.process.key))
    return _form_page(form, event)


def _form_page(form: forms.PrepEventForm, event: PrepEvent | None, status: int = 200):
    keep = event.process if event is not None else None
    form.load_choices(
        queries.processes_with_elections(keep=keep), queries.states_of(form.chosen_process_id)
    )
    status = 422 if form.errors and status == 200 else status
    return render_template("prep/event_form.html", form=form, event=event), status


def _default_process():
    return queries.current_process(queries.processes_with_elections(), to_mx(utcnow()).date())


def _done(event: PrepEvent) -> str:
    return f"{services.describe(event)}, del {long_date(event.held_on)}"
