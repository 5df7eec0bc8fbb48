"""The panels' figures: open tickets only, the right SLA lists, today in Mexico City time."""

from __future__ import annotations

from datetime import date

import pytest

from tests.dashboard.scene import build
from tests.factories import make_ticket, state
from tickets.core.timeutil import parse_local
from tickets.dashboard import queries
from tickets.extensions import db
from tickets.helpdesk.models import Status, Ticket

NOW = parse_local("2021-11-14T18:30:00")


def _counts(rows) -> dict:
    return {row.label: row.count for row in rows}


@pytest.fixture
def scene(ctx):
    return build(NOW)


def test_open_counts_by_status_and_priority_leave_finished_tickets_out(scene):
    assert _counts(queries.open_by_status()) == {
        "Nuevo": 2,
        "Asignado": 1,
        "En atención": 2,
        "En espera": 1,
    }
    assert [(c.key, c.count) for c in queries.open_by_priority()] == [
        ("critical", 1),
        ("high", 4),
        ("medium", 0),
        ("low", 1),
    ]


def test_open_counts_by_requester_type_state_process_and_system(scene):
    assert _counts(queries.open_by_requester_type()) == {
        "Junta Ejecutiva del INE": 4,
        "Organismo Público Local (OPL)": 2,
    }
    by_state = queries.open_by_state()
    assert [(c.key, c.label, c.count) for c in by_state] == [
        (str(state("12").id), "Guerrero", 4),
        (str(state("15").id), state("15").display_name, 2),
    ]
    assert [(c.key, c.label, c.count) for c in queries.open_by_process()] == [
        ("ordinaria", "Actividad ordinaria", 6)
    ]
    assert [(c.label, c.count) for c in queries.open_by_system()][0][1] == 5
    assert sum(c.count for c in queries.open_by_system()) == 6


def test_a_process_is_named_by_its_key_and_name(ctx):
    make_ticket(received_at=parse_local("2021-11-14T09:00:00"))  # EXT-2021 by default
    [row] = queries.open_by_process()
    assert (row.label, row.count) == ("EXT-2021", 1)
    assert row.detail  # the process's name, shown beside the key


def test_at_risk_list_has_the_tickets_near_their_due_time_nearest_first(scene):
    result = queries.at_risk_tickets(NOW)
    assert result.total == 2
    assert [(r.folio, r.target) for r in result.rows] == [
        (scene.folios["first_risk"], "Primera respuesta"),
        (scene.folios["risk"], "Solución"),
    ]
    assert result.rows[0].assignee == "Beto Operador"


def test_breached_list_has_open_tickets_past_a_target_most_overdue_first(scene):
    result = queries.breached_tickets(NOW)
    assert result.total == 2
    assert [(r.folio, r.target) for r in result.rows] == [
        (scene.folios["breached"], "Solución"),
        (scene.folios["first_breached"], "Primera respuesta"),
    ]
    assert result.rows[1].assignee is None


def test_a_list_shows_the_first_rows_but_counts_them_all(scene):
    result = queries.breached_tickets(NOW, limit=1)
    assert (len(result.rows), result.total) == (1, 2)


def test_workload_counts_what_each_person_holds_unassigned_last(scene):
    rows = [(w.name, w.open, w.at_risk, w.breached) for w in queries.workload(NOW)]
    assert rows == [
        ("Ana Operadora", 2, 1, 1),
        ("Beto Operador", 2, 1, 0),
        ("Sin asignar", 2, 0, 1),
    ]


def test_today_is_the_mexico_city_day_hour_by_hour(ctx):
    received = [
        "2021-11-13T23:50:00",  # the same UTC date (05:50 UTC) but yesterday in Mexico City
        "2021-11-14T00:15:00",
        "2021-11-14T09:10:00",
        "2021-11-14T09:40:00",
        "2021-11-14T10:00:00",
        "2021-11-14T18:05:00",
    ]
    for moment in received:
        make_ticket(received_at=parse_local(moment), process_id=None, now=NOW)
    closed = db.session.scalar(
        db.select(Ticket).where(Ticket.received_at == parse_local(received[4]))
    )
    closed.status = Status.CLOSED  # any status counts: it is the day's intake
    db.session.commit()

    hours = queries.today_by_hour(NOW)
    assert [h.hour for h in hours] == list(range(24))
    assert {h.hour: h.count for h in hours if h.count} == {0: 1, 9: 2, 10: 1, 18: 1}
    assert [h.hour for h in hours if h.future] == list(range(19, 24))


def test_a_clock_change_day_has_23_hours():
    # 4 April 2021: Mexico City moved from 02:00 to 03:00 (daylight saving, abolished in 2022).
    starts = queries._hour_starts(date(2021, 4, 4))
    assert len(starts) == 24  # 23 hours and the next midnight
    assert [s.astimezone(queries.MX_TZ).hour for s in starts[:4]] == [0, 1, 3, 4]


def test_an_empty_desk_gives_zeros_and_empty_lists(ctx):
    board = queries.board(NOW)
    assert board.open_total == 0
    assert [c.count for c in board.by_status] == [0, 0, 0, 0]
    assert board.by_state == [] and board.workload == []
    assert board.at_risk.total == 0 and board.breached.rows == []
    assert board.today_total == 0
