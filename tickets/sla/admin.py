"""What admins change in the service levels: the targets per priority and the Institute's days off.

Each change and the due times it moves are one transaction: a policy or a day off that is saved
while the open tickets keep their old due times would make the queue, the dashboard and the sweep
disagree with the page that says what the desk promises. The web page, and any later CLI or API,
call these functions; they check the actor, validate, recompute and commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import holidays
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tickets.accounts.models import User
from tickets.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from tickets.core.session import commit
from tickets.extensions import db
from tickets.helpdesk.models import Priority
from tickets.sla import services
from tickets.sla.models import NonWorkingDay, SlaPolicy

# Upper bounds catch a typo (7200:00 for 72:00) before it turns every target green for months.
MAX_FIRST_RESPONSE = 30 * 24 * 60  # 30 days of clock time
MAX_RESOLUTION = 90 * 24 * 60  # 90 days of clock time
DESCRIPTION_LIMIT = 200
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a date outside is a typo (0221 for 2021)
DUPLICATE_DAY = "Ese día ya está registrado."


@dataclass(frozen=True)
class PolicyMinutes:
    """The two targets of one priority, in whole minutes of SLA clock time."""

    first_response: int | None
    resolution: int | None


@dataclass(frozen=True)
class PolicyRow:
    """A policy as the page shows it: its targets and who changed it last."""

    priority: Priority
    first_response_minutes: int
    resolution_minutes: int
    updated_at: datetime | None
    updated_by: str | None


def field_name(priority: Priority, target: str) -> str:
    """The form field (and error key) of one target: 'high_first_response', 'low_resolution'."""
    return f"{priority.value}_{target}"


def hours_minutes(minutes: int) -> str:
    """Clock minutes as the admin types them: 15 -> '0:15', 4320 -> '72:00'."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def can_manage_sla(user: User) -> bool:
    """Only admins change what the desk promises (DESIGN.md, roles)."""
    return user.is_admin


def _require_admin(actor: User) -> None:
    if not can_manage_sla(actor):
        raise NotAllowed("Solo la administración modifica los plazos de servicio.")


# --- Policies --------------------------------------------------------------------------------


def update_policies(
    actor: User, values: Mapping[Priority, PolicyMinutes], now: datetime
) -> services.Recompute | None:
    """Set the targets of all four priorities at once; returns what became of the open tickets.

    All four in one transaction because the admin edits them as one table: half a form saved
    would leave a mix of old and new targets that nobody chose. Only the rows
    whose values change get a new ``updated_at``/``updated_by``: that pair is the record of who
    last changed each priority. Nothing changed means nothing written, nothing recomputed, and
    None returned.

    :raises NotAllowed: the actor is not an admin.
    :raises ValidationFailed: per field, keyed by :func:`field_name`.
    :raises Conflict: another admin created a missing policy row at the same moment.
    """
    _require_admin(actor)
    checked = _checked_policies(values)
    existing = {p.priority: p for p in db.session.scalars(sa.select(SlaPolicy))}
    changed = False
    for priority, (first, resolution) in checked.items():
        policy = existing.get(priority)
        if policy is None:
            policy = SlaPolicy(priority=priority)
            db.session.add(policy)
        elif (policy.first_response_minutes, policy.resolution_minutes) == (first, resolution):
            continue
        policy.first_response_minutes, policy.resolution_minutes = first, resolution
        policy.updated_at, policy.updated_by_id = now, actor.id
        changed = True
    if not changed:
        return None
    try:
        db.session.flush()  # rows are missing only before `flask catalogs load`
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(
            "Otra persona guardó los plazos al mismo tiempo. Revíselos de nuevo."
        ) from exc
    return _recompute_and_commit(actor, now)


def _checked_policies(values: Mapping[Priority, PolicyMinutes]) -> dict[Priority, tuple[int, int]]:
    errors: dict[str, str] = {}
    checked: dict[Priority, tuple[int, int]] = {}
    for priority in Priority:
        minutes = values.get(priority) or PolicyMinutes(None, None)
        first = _minutes(minutes.first_response, field_name(priority, "first_response"), errors)
        resolution = _minutes(minutes.resolution, field_name(priority, "resolution"), errors)
        if first is None or resolution is None:
            continue
        _check_bounds(priority, first, resolution, errors)
        checked[priority] = (first, resolution)
    if errors:
        raise ValidationFailed(errors)
    return checked


def _minutes(value, field: str, errors: dict[str, str]) -> int | None:
    # bool is an int to Python; True minutes is a bug in a caller, not a target.
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        errors[field] = "Escriba el plazo en horas y minutos enteros, como 4:00 o 0:15."
        return None
    return value


def _check_bounds(priority: Priority, first: int, resolution: int, errors: dict[str, str]) -> None:
    first_field, resolution_field = (
        field_name(priority, "first_response"),
        field_name(priority, "resolution"),
    )
    if first <= 0:
        errors[first_field] = "La primera respuesta debe ser mayor que 0:00."
    elif first > MAX_FIRST_RESPONSE:
        errors[first_field] = (
            f"La primera respuesta admite hasta {hours_minutes(MAX_FIRST_RESPONSE)} (30 días)."
        )
    if resolution > MAX_RESOLUTION:
        errors[resolution_field] = (
            f"La solución admite hasta {hours_minutes(MAX_RESOLUTION)} (90 días)."
        )
    elif resolution <= first:
        errors[resolution_field] = (
            f"La solución debe tomar más que la primera respuesta ({hours_minutes(max(first, 0))})."
        )


# --- The Institute's days off ----------------------------------------------------------------


def add_non_working_day(
    actor: User, day: date | None, description: str | None, now: datetime
) -> NonWorkingDay:
    """Add a day the Institute does not work; office-hours due times move past it.

    States in an electoral process keep counting it: in process every day is working time
    (tickets.sla.clock), whatever the Institute's calendar says.

    :raises NotAllowed: the actor is not an admin.
    :raises ValidationFailed: no date, a date already registered, no description or too long.
    """
    _require_admin(actor)
    errors: dict[str, str] = {}
    if day is None:
        errors["day"] = "Escriba la fecha."
    elif not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors["day"] = f"Escriba una fecha entre {FIRST_YEAR} y {LAST_YEAR}."
    elif db.session.scalar(sa.select(NonWorkingDay.id).where(NonWorkingDay.day == day)):
        errors["day"] = DUPLICATE_DAY
    text = (description or "").strip()
    if not text:
        errors["description"] = "Escriba la descripción."
    elif len(text) > DESCRIPTION_LIMIT:
        errors["description"] = f"Admite hasta {DESCRIPTION_LIMIT} caracteres; tiene {len(text)}."
    if errors:
        raise ValidationFailed(errors)
    row = NonWorkingDay(day=day, description=text, created_at=now, created_by_id=actor.id)
    db.session.add(row)
    try:
        db.session.flush()  # another admin may have added the same day a moment ago
    except IntegrityError as exc:
        db.session.rollback()
        raise ValidationFailed({"day": DUPLICATE_DAY}) from exc
    _recompute_and_commit(actor, now)
    return row


def remove_non_working_day(actor: User, day_id: int, now: datetime) -> NonWorkingDay:
    """Remove a day off; due times that skipped it come back. Returns the removed row.

    :raises NotAllowed: the actor is not an admin.
    :raises NotFound: no such day (already removed, perhaps by another admin).
    """
    _require_admin(actor)
    row = db.session.get(NonWorkingDay, day_id)
    if row is None:
        raise NotFound("Ese día ya no está registrado.")
    db.session.delete(row)
    db.session.flush()
    _recompute_and_commit(actor, now)
    return row


def _recompute_and_commit(actor: User, now: datetime) -> services.Recompute:
    """The change and the new due times of every open ticket (or the request for them), in one
    commit."""
    db.session.flush()  # the clock reads policies and days from the database
    outcome = services.request_recompute(actor.id, now)
    commit()
    return outcome


# --- What the page shows ---------------------------------------------------------------------


def policy_rows() -> list[PolicyRow]:
    """The four policies, most urgent first, with the defaults for a priority without a row."""
    rows = db.session.execute(
        sa.select(SlaPolicy, User.name).outerjoin(User, SlaPolicy.updated_by_id == User.id)
    ).all()
    stored = {policy.priority: (policy, name) for policy, name in rows}
    result = []
    for priority in reversed(Priority):
        policy, name = stored.get(priority, (None, None))
        first, resolution = (
            (policy.first_response_minutes, policy.resolution_minutes)
            if policy
            else services.DEFAULT_MINUTES[priority]
        )
        result.append(
            PolicyRow(
                priority,
                first,
                resolution,
                policy.updated_at if policy and policy.updated_by_id else None,
                name,
            )
        )
    return result


def non_working_days() -> list[tuple[NonWorkingDay, str | None]]:
    """Every day admins added, oldest first, with the name of who added it."""
    rows = db.session.execute(
        sa.select(NonWorkingDay, User.name)
        .outerjoin(User, NonWorkingDay.created_by_id == User.id)
        .order_by(NonWorkingDay.day)
    )
    return [(day, name) for day, name in rows]


def official_holidays(*years: int) -> list[tuple[date, str]]:
    """Mexico's official holidays of those years, with their Spanish names, in date order.

    The same dates tickets.core.calendar skips; the names are for the admin who checks them.
    """
    found = holidays.country_holidays("MX", years=list(years), language="es")
    return sorted(found.items())
