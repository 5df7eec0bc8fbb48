"""Ticket, comment and audit rows, built the way the services would have left them."""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from bench import textdata as txt
from tickets.core.text import fold
from tickets.core.timeutil import MX_TZ, report_month
from tickets.helpdesk.access_codes import ALPHABET, digest
from tickets.helpdesk.folios import format_folio
from tickets.helpdesk.search import build_search_text

END_DAY = date(2022, 6, 30)
END_MX = datetime.combine(END_DAY, time(23, 59, 59), tzinfo=MX_TZ)
END = END_MX.astimezone(UTC)

REQUESTER_WEIGHTS = {"junta": 52, "opl": 18, "party": 15, "candidacy": 5, "central": 10}
CATEGORY_WEIGHTS = {
    "INCIDENCIA": 35,
    "ACCESO": 25,
    "CONSULTA": 15,
    "CAPACITACION": 5,
    "INFRAESTRUCTURA": 12,
    "DATOS": 8,
}
SYSTEM_WEIGHTS = {
    "SIJE": 10,
    "PREP": 8,
    "COMPUTOS": 5,
    "REPRESENTANTES": 8,
    "ELEC": 7,
    "SNR": 6,
    "SIF": 6,
    "UBICACION_CASILLAS": 5,
    "SESIONES": 5,
    "VINCULACION_OPL": 5,
}
PRIORITY_WEIGHTS = {"low": 20, "medium": 50, "high": 22, "critical": 8}
CHANNEL_WEIGHTS = {"phone": 35, "email": 30, "portal": 20, "chat": 10, "in_person": 5}
# (first response, resolution) targets in hours, for the due times.
SLA_HOURS = {"critical": (1, 4), "high": (2, 8), "medium": (4, 24), "low": (8, 72)}
# Final status by the ticket's age at the end of the data: old tickets are mostly closed.
STATUS_BY_AGE = (
    (7, {"new": 12, "assigned": 18, "in_progress": 30, "waiting": 10, "resolved": 15,
         "closed": 10, "cancelled": 5}),
    (30, {"new": 2, "assigned": 3, "in_progress": 10, "waiting": 5, "resolved": 20,
          "closed": 55, "cancelled": 5}),
    (10**6, {"in_progress": 2, "waiting": 2, "resolved": 5, "closed": 86, "cancelled": 5}),
)  # fmt: skip
# Mean minutes each move takes after the previous one.
STEP_MINUTES = {
    "assigned": 40,
    "in_progress": 120,
    "waiting": 180,
    "back": 1440,
    "resolved": 600,
    "closed": 2880,
    "cancelled": 1440,
}
PATHS = {
    "new": (),
    "assigned": ("assigned",),
    "in_progress": ("assigned", "in_progress"),
    "waiting": ("assigned", "in_progress", "waiting"),
    "resolved": ("assigned", "in_progress", "resolved"),
    "closed": ("assigned", "in_progress", "resolved", "closed"),
}
CANCEL_PATHS = (("cancelled",), ("assigned", "cancelled"), ("assigned", "in_progress", "cancelled"))
EMAIL_DOMAINS = {
    "junta": "ine.mx",
    "central": "ine.mx",
    "opl": "opl.org.mx",
    "party": "partido.org.mx",
    "candidacy": "gmail.com",
}


class Weighted:
    """random.choices with the cumulative weights computed once."""

    def __init__(self, weights: dict):
        self.items = list(weights)
        total, self.cum = 0, []
        for item in self.items:
            total += weights[item]
            self.cum.append(total)

    def pick(self, rng: random.Random):
        return rng.choices(self.items, cum_weights=self.cum)[0]


@dataclass(frozen=True)
class Org:
    id: int
    name: str
    acronym: str | None
    district_id: int | None


@dataclass
class Catalog:
    """The reference rows the generator draws from, read once."""

    states: list[tuple[int, str, int]]  # id, key, weight (federal districts)
    orgs: dict[tuple[str, int | None], list[Org]]  # (kind, state_id) -> organisations
    elections: list[tuple[int, int, date]]  # process_id, state_id, election day
    processes: dict[int, tuple[date, date]]  # id -> (starts_on, ends_on)
    systems: dict[int, str]  # id -> key
    categories: dict[int, str]
    operators: list[tuple[int, str]]
    supervisors: list[tuple[int, str]]

    @classmethod
    def load(cls) -> Catalog:
        from tickets.accounts.models import Role, User
        from tickets.catalogs import models as m
        from tickets.extensions import db

        s = db.session
        districts = Counter(s.scalars(sa.select(m.District.state_id)))
        orgs: dict = {}
        for o in s.scalars(
            sa.select(m.Organization).where(m.Organization.is_active).order_by(m.Organization.id)
        ):
            orgs.setdefault((o.kind.value, o.state_id), []).append(
                Org(o.id, o.name, o.acronym, o.district_id)
            )
        users = s.execute(sa.select(User.id, User.name, User.role).order_by(User.id)).all()
        return cls(
            states=[
                (st.id, st.key, districts[st.id])
                for st in s.scalars(sa.select(m.State).order_by(m.State.id))
            ],
            orgs=orgs,
            elections=[
                (e.process_id, e.state_id, e.election_day)
                for e in s.scalars(sa.select(m.Election).order_by(m.Election.id))
            ],
            processes={
                p.id: (p.starts_on, p.ends_on) for p in s.scalars(sa.select(m.ElectoralProcess))
            },
            systems=dict(
                s.execute(sa.select(m.System.id, m.System.key).order_by(m.System.id)).all()
            ),
            categories=dict(
                s.execute(sa.select(m.Category.id, m.Category.key).order_by(m.Category.id)).all()
            ),
            operators=[(u.id, u.name) for u in users if u.role is Role.OPERATOR],
            supervisors=[(u.id, u.name) for u in users if u.role is not Role.OPERATOR],
        )

    def state_weights(self, day: date) -> dict[int, float]:
        """Districts as a proxy for size, boosted in the weeks around a state's election day."""
        weights = {sid: float(max(n, 2)) for sid, _key, n in self.states}
        for sid, election_day in sorted({(e[1], e[2]) for e in self.elections}):
            delta = (day - election_day).days
            if -45 <= delta <= 10:
                weights[sid] *= 1 + 4 * math.exp(-abs(delta) / (10 if delta < 0 else 3))
        return weights

    def processes_for(self, state_id: int, day: date) -> list[int]:
        """Processes with an election in the state whose period contains the day."""
        found = {
            pid
            for pid, sid, _day in self.elections
            if sid == state_id and self.processes[pid][0] <= day <= self.processes[pid][1]
        }
        return sorted(found)


def first_day(months: int) -> date:
    index = END_DAY.year * 12 + END_DAY.month - months  # months before July 2022
    return date(index // 12, index % 12 + 1, 1)


def build_day_plan(catalog: Catalog, months: int, n: int, rng: random.Random) -> list:
    """N arrival instants (UTC), sorted, with their Mexico City day; busier near elections."""
    day, days, cum, total = first_day(months), [], [], 0.0
    while day <= END_DAY:
        weekday = 1.0 if day.weekday() < 5 else 0.35
        total += weekday * sum(catalog.state_weights(day).values())
        days.append(day)
        cum.append(total)
        day += timedelta(days=1)
    per_day = Counter(rng.choices(range(len(days)), cum_weights=cum, k=n))
    plan = []
    for index in sorted(per_day):
        midnight = datetime.combine(days[index], time())
        for seconds in sorted(_seconds(rng) for _ in range(per_day[index])):
            local = (midnight + timedelta(seconds=seconds)).replace(tzinfo=MX_TZ)
            plan.append((days[index], local.astimezone(UTC)))
    return plan


def _seconds(rng: random.Random) -> int:
    """Mostly office hours (08:00-19:00), some at any hour."""
    if rng.random() < 0.85:
        return rng.randrange(8 * 3600, 19 * 3600)
    return rng.randrange(0, 24 * 3600)


class TicketFactory:
    """Builds rows batch by batch, keeping ids and per-year folio numbers consecutive."""

    def __init__(self, catalog: Catalog, rng: random.Random, comments: float = 1.5):
        self.c, self.rng, self.comment_p = catalog, rng, min(comments, 4.0) / 4
        self.ticket_id = self.comment_id = self.audit_id = 0
        self.folio_last: Counter = Counter()
        self.requester = Weighted(REQUESTER_WEIGHTS)
        self.category = Weighted(
            {i: CATEGORY_WEIGHTS.get(k, 5) for i, k in catalog.categories.items()}
        )
        self.system = Weighted({i: SYSTEM_WEIGHTS.get(k, 3) for i, k in catalog.systems.items()})
        self.priority = Weighted(PRIORITY_WEIGHTS)
        self.channel = Weighted(CHANNEL_WEIGHTS)
        self.status = [(age, Weighted(w)) for age, w in STATUS_BY_AGE]
        self._states: dict[date, Weighted] = {}
        self._processes: dict[tuple[int, date], list[int]] = {}

    def batch(self, arrivals) -> tuple[list, list, list]:
        tickets, comments, audit = [], [], []
        for day, received in arrivals:
            ticket, events, notes = self.ticket(day, received)
            tickets.append(ticket)
            comments.extend(notes)
            audit.extend(events)
        return tickets, comments, audit

    def ticket(self, day: date, received: datetime) -> tuple[dict, list, list]:
        self.ticket_id += 1
        self.folio_last[day.year] += 1
        folio = format_folio(day.year, self.folio_last[day.year])
        row = {"id": self.ticket_id, "folio": folio, "received_at": received}
        org = self._place(row, day)
        self._classify(row, org)
        self._contact(row, org)
        row["search_text"] = build_search_text(
            folio,
            row["subject"],
            row["description"],
            row["contact_name"],
            row["contact_email"],
            org.name,
            org.acronym,
        )
        events, notes = self._lifecycle(row)
        return row, events, notes

    def _place(self, row: dict, day: date) -> Org:
        """Requester type, organisation, state, district, office and process, all consistent."""
        kind = self.requester.pick(self.rng)
        state_id = None if kind == "central" else self._state(day)
        org = self.rng.choice(self.c.orgs[(kind, state_id)])
        process_id = None
        if state_id is not None and self.rng.random() < 0.85:
            candidates = self._processes_for(state_id, day)
            process_id = self.rng.choice(candidates) if candidates else None
        row.update(
            requester_type=kind,
            organization_id=org.id,
            state_id=state_id,
            district_id=org.district_id,
            office_id=org.id if kind == "junta" else None,
            process_id=process_id,
            report_month=report_month(row["received_at"]),
        )
        return org

    def _state(self, day: date) -> int:
        if day not in self._states:
            self._states[day] = Weighted(self.c.state_weights(day))
        return self._states[day].pick(self.rng)

    def _processes_for(self, state_id: int, day: date) -> list[int]:
        key = (state_id, day)
        if key not in self._processes:
            self._processes[key] = self.c.processes_for(state_id, day)
        return self._processes[key]

    def _classify(self, row: dict, org: Org) -> None:
        rng = self.rng
        system_id, category_id = self.system.pick(rng), self.category.pick(rng)
        category = self.c.categories[category_id]
        sys_name = txt.SYSTEM_SHORT.get(self.c.systems[system_id], self.c.systems[system_id])
        subjects = txt.SUBJECTS.get(category, txt.SUBJECTS["CONSULTA"])
        details = txt.DETAILS.get(category, txt.DETAILS["CONSULTA"])
        parts = [rng.choice(txt.OPENINGS)]
        parts += rng.sample(details, k=min(len(details), rng.randint(1, 3)))
        parts.append(rng.choice(txt.CLOSINGS))
        values = {"sys": sys_name, "org": org.name, "n": rng.randint(5, 40)}
        row.update(
            system_id=system_id,
            category_id=category_id,
            subject=rng.choice(subjects).format(**values),
            description=" ".join(parts).format(**values),
            priority=self.priority.pick(rng),
            channel=self.channel.pick(rng),
        )
        first, resolution = SLA_HOURS[row["priority"]]
        row["first_response_due_at"] = row["received_at"] + timedelta(hours=first)
        row["resolution_due_at"] = row["received_at"] + timedelta(hours=resolution)
        code = "".join(rng.choices(ALPHABET, k=12))
        row["access_code_hash"] = digest(code)
        row["external_id"] = None
        row["version"] = 1

    def _contact(self, row: dict, org: Org) -> None:
        rng = self.rng
        first, last1, last2 = (
            rng.choice(txt.FIRST_NAMES),
            rng.choice(txt.SURNAMES),
            rng.choice(txt.SURNAMES),
        )
        row["contact_name"] = f"{first} {last1} {last2}"
        user = f"{fold(first).replace(' ', '.')}.{fold(last1)}{rng.randint(1, 99)}"
        row["contact_email"] = f"{user}@{EMAIL_DOMAINS[row['requester_type']]}"
        row["contact_phone"] = (
            f"{rng.randint(200, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            if rng.random() < 0.7
            else None
        )

    def _final_status(self, received: datetime) -> str:
        age = (END - received).days
        for limit, weights in self.status:
            if age < limit:
                return weights.pick(self.rng)
        raise AssertionError("unreachable")

    def _lifecycle(self, row: dict) -> tuple[list, list]:
        """Status moves with their times and audit events, then comments; sets the *_at columns."""
        rng = self.rng
        status = self._final_status(row["received_at"])
        path = rng.choice(CANCEL_PATHS) if status == "cancelled" else PATHS[status]
        if status in ("resolved", "closed") and rng.random() < 0.15:
            path = ("assigned", "in_progress", "waiting", "back", "resolved", *path[3:])
        creator_id, _ = rng.choice(self.c.operators)
        assignee = rng.choice(self.c.operators) if path else None
        created = min(row["received_at"] + timedelta(minutes=rng.uniform(0, 20)), END)
        times = self._step_times(created, path)
        row.update(status=status, created_by_id=creator_id, created_at=created)
        row["assignee_id"] = assignee[0] if assignee else None
        events = [self._event(row, creator_id, "created", None, row["folio"], created)]
        events += self._moves(row, path, times, assignee, creator_id)
        notes = self._comments(row, assignee, times) if path else []
        events += [
            self._event(row, n["author_id"], _comment_field(n), None, None, n["created_at"])
            for n in notes
        ]
        row["updated_at"] = max([created, *times, *(n["created_at"] for n in notes)])
        return events, notes

    def _step_times(self, created: datetime, path: tuple) -> list[datetime]:
        """Each move a random while after the previous one, squeezed to end before END."""
        gaps = [self.rng.expovariate(1 / STEP_MINUTES[step]) for step in path]
        room = (END - created).total_seconds() / 60 * 0.95
        scale = min(1.0, room / sum(gaps)) if gaps and sum(gaps) > 0 else 1.0
        times, at = [], created
        for gap in gaps:
            at = at + timedelta(minutes=gap * scale)
            times.append(at)
        return times

    def _moves(self, row, path, times, assignee, creator_id) -> list[dict]:
        events, status = [], "new"
        row.update(first_response_at=None, resolved_at=None, closed_at=None, cancelled_at=None)
        for step, at in zip(path, times, strict=True):
            new = "in_progress" if step == "back" else step
            actor = assignee[0] if assignee and step != "assigned" else creator_id
            if step == "assigned":
                events.append(self._event(row, creator_id, "assignee", None, assignee[1], at))
            events.append(self._event(row, actor, "status", status, new, at))
            if new in ("in_progress", "waiting", "resolved") and row["first_response_at"] is None:
                row["first_response_at"] = at
            column = {"resolved": "resolved_at", "closed": "closed_at"}.get(new)
            column = "cancelled_at" if new == "cancelled" else column
            if column:
                row[column] = at
            status = new
        return events

    def _comments(self, row: dict, assignee, times: list[datetime]) -> list[dict]:
        count = sum(self.rng.random() < self.comment_p for _ in range(4))
        start = times[0]
        end = times[-1] if row["status"] in ("closed", "cancelled", "resolved") else END
        author = assignee[0] if assignee else row["created_by_id"]
        notes = []
        for _ in range(count):
            at = start + (end - start) * self.rng.random()
            internal = self.rng.random() < 0.25
            pool = txt.INTERNAL_NOTES if internal else txt.PUBLIC_REPLIES
            self.comment_id += 1
            notes.append(
                {
                    "id": self.comment_id,
                    "ticket_id": row["id"],
                    "author_id": author,
                    "body": self.rng.choice(pool),
                    "is_internal": internal,
                    "created_at": at,
                }
            )
            if not internal and (row["first_response_at"] is None or at < row["first_response_at"]):
                row["first_response_at"] = at
        return notes

    def _event(self, row, actor_id, field, old, new, at) -> dict:
        self.audit_id += 1
        return {
            "id": self.audit_id,
            "ticket_id": row["id"],
            "actor_id": actor_id,
            "field": field,
            "old": old,
            "new": new,
            "at": at,
        }


def _comment_field(note: dict) -> str:
    return "internal_note" if note["is_internal"] else "comment"
