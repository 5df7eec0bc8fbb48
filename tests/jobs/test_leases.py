"""The lease: one holder at a time, handed over when it expires or is given back."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from tickets.extensions import db
from tickets.jobs import leases

T0 = datetime(2021, 12, 1, 13, 0, tzinfo=UTC)  # 07:00 in Mexico City
TTL = timedelta(minutes=2)


def test_two_holders_only_the_first_gets_the_lease(ctx):
    assert leases.acquire("mail", "a", T0, TTL) is True
    assert leases.acquire("mail", "b", T0 + timedelta(seconds=1), TTL) is False
    assert leases.current()["mail"].holder == "a"


def test_the_holder_renews_and_keeps_it_past_the_first_expiry(ctx):
    leases.acquire("mail", "a", T0, TTL)

    assert leases.acquire("mail", "a", T0 + timedelta(minutes=1), TTL) is True
    assert leases.acquire("mail", "b", T0 + timedelta(minutes=2, seconds=30), TTL) is False
    assert leases.current()["mail"].expires_at == T0 + timedelta(minutes=3)


def test_an_expired_lease_goes_to_the_next_holder_and_the_old_one_is_out(ctx):
    leases.acquire("mail", "a", T0, TTL)

    assert leases.acquire("mail", "b", T0 + TTL + timedelta(seconds=1), TTL) is True
    assert leases.acquire("mail", "a", T0 + TTL + timedelta(seconds=2), TTL) is False
    assert leases.current()["mail"].holder == "b"


def test_each_job_has_its_own_lease(ctx):
    assert leases.acquire("mail", "a", T0, TTL) is True
    assert leases.acquire("monthly-report", "b", T0, TTL) is True


def test_giving_back_hands_over_at_once(ctx):
    leases.acquire("mail", "a", T0, TTL)
    leases.acquire("monthly-report", "a", T0, TTL)

    assert leases.release_all("a") == 2
    assert leases.acquire("mail", "b", T0 + timedelta(seconds=1), TTL) is True


@pytest.mark.postgres
def test_holders_racing_on_postgresql_elect_exactly_one(app):
    """Twelve threads, each with its own connection, take the same free lease at once."""
    results: list[bool] = []
    barrier = threading.Barrier(12)

    def contender(n: int) -> None:
        with app.app_context():
            barrier.wait()
            results.append(leases.acquire("race", f"holder-{n}", T0, TTL))
            db.session.remove()

    threads = [threading.Thread(target=contender, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 11 + [True]
