"""The demo's PREP facts: the seed's November 2021, with Nayarit's drills as real dates."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from types import SimpleNamespace

import sqlalchemy as sa

from tickets.catalogs.models import State
from tickets.demo.prep import load_prep
from tickets.extensions import db
from tickets.prep.models import PrepEvent, PrepEventKind


def recorded() -> dict[tuple[str, PrepEventKind], list[tuple[int, date]]]:
    query = sa.select(State.display_name, PrepEvent.kind, PrepEvent.number, PrepEvent.held_on)
    facts = defaultdict(list)
    for name, kind, number, day in db.session.execute(query.join(PrepEvent.state)):
        facts[(name, kind)].append((number, day))
    return {key: sorted(value) for key, value in facts.items()}


def test_the_demo_records_the_seeds_drills_and_operations(supervisor, operator):
    load_prep(SimpleNamespace(users={None: None, "a": operator, "b": supervisor}))

    drill, operation = PrepEventKind.DRILL, PrepEventKind.OPERATION
    nov = lambda *days: [(n, date(2021, 11, d)) for n, d in enumerate(days, start=1)]  # noqa: E731
    assert recorded() == {
        ("Estado de México", drill): nov(4),
        ("Guerrero", drill): nov(14, 21),
        ("Jalisco", drill): nov(7, 14),
        ("Nayarit", drill): nov(21, 24, 28),
        ("Tlaxcala", drill): nov(21),
        ("Estado de México", operation): nov(14),
        ("Jalisco", operation): nov(21),
        ("Guerrero", operation): nov(28),
        ("Tlaxcala", operation): nov(28),
    }
    authors = set(db.session.scalars(sa.select(PrepEvent.created_by_id)))
    assert authors == {supervisor.id}


def test_loading_the_demo_twice_adds_nothing(supervisor):
    loading = SimpleNamespace(users={"b": supervisor})
    load_prep(loading)

    load_prep(loading)

    assert db.session.scalar(sa.select(sa.func.count(PrepEvent.id))) == 13
