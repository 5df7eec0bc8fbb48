"""A few tickets from the last working hours, so the live parts of the desk have something to show.

The demo month is November 2021, so by today all its open tickets are long breached. These
tickets arrive shortly before the load, placed on the SLA clock so that, whatever the hour the
demo is loaded, some are comfortably within their targets, some are at risk (under 25% left) and
some just breached, and a few arrived today for the dashboard's volume by hour. They reuse the
month's requests as ordinary activity (no process is open today) and go through the services.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from tickets.core.timeutil import to_mx
from tickets.helpdesk import services
from tickets.helpdesk.models import Priority, Status
from tickets.sla import clock
from tickets.sla.services import Calendars, targets_for

SEED = 2026
# (how many, share of the first-response target used at load time, answered already)
BANDS = (
    (5, (0.10, 0.45), False),  # fresh, unanswered
    (4, (0.80, 0.95), False),  # first response at risk
    (4, (1.05, 1.60), False),  # first response just breached
    (5, (0.80, 0.95), True),  # answered; resolution at risk (share of the resolution target)
    (3, (0.20, 0.50), True),  # answered, on track
)
TODAY_EXTRA = 4  # arrivals in the last two hours, whatever the clock says


def load_recent(loading) -> None:
    """Open the recent tickets; the demo's operators take and answer some of them."""
    now = loading.now
    rng = random.Random(SEED)
    calendars = Calendars()
    requests = [plan.request for plan in loading.plan.tickets if plan.request.state_key]
    operators = [m.email for m in loading.plan.staff if m.role.value == "operator"]
    opener = operators[0]
    opened = 0
    for count, band, answered in BANDS:
        for _ in range(count):
            request = rng.choice(requests)
            priority = rng.choice([Priority.CRITICAL, Priority.HIGH, Priority.MEDIUM])
            targets = targets_for(priority)
            budget = targets.resolution if answered else targets.first_response
            calendar = calendars.of(loading.catalog_id("states", request.state_key))
            received = _arrival_for(calendar, now, budget, rng.uniform(*band))
            if received is None:
                continue
            ticket = _open(loading, request, priority, received, opener)
            opened += 1
            if answered:
                _take_and_answer(loading, ticket, rng.choice(operators), received, now)
    local = to_mx(now)
    since_midnight = local.hour * 60 + local.minute
    for _ in range(TODAY_EXTRA):
        request = rng.choice(requests)
        received = now - timedelta(minutes=rng.randint(0, max(0, min(120, since_midnight))))
        _open(loading, request, Priority.MEDIUM, received, opener)
        opened += 1
    loading.result.recent = opened


def _arrival_for(calendar, now: datetime, budget: timedelta, share: float) -> datetime | None:
    """The arrival that has used ``share`` of ``budget`` by now, to the minute."""
    arrival = clock.rewind(calendar, now, budget * share)
    return arrival.replace(second=0, microsecond=0) if arrival is not None else None


def _open(loading, request, priority: Priority, received: datetime, opener: str):
    """The month's request again, today, as ordinary activity (no process is open now)."""
    from tickets.demo.builder import ticket_data

    data = replace(ticket_data(loading, request, received), priority=priority, process_id=None)
    ticket, _code = services.open_ticket(loading.users[opener], data, now=received)
    return ticket


def _take_and_answer(loading, ticket, operator: str, received: datetime, now: datetime) -> None:
    person = loading.users[operator]
    at = min(received + timedelta(minutes=3), now)
    services.assign(person, ticket, person, now=at)
    services.transition(person, ticket, Status.IN_PROGRESS, now=at)
    services.add_comment(
        person,
        ticket,
        "Recibimos su reporte y ya lo estamos revisando; le avisaremos en cuanto tengamos "
        "novedades.",
        now=at,
    )
