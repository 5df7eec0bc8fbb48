"""Test data builders. Each commits, as services do; the autouse fixture empties the tables."""

from __future__ import annotations

import itertools
from datetime import datetime

import sqlalchemy as sa

from tickets.accounts.models import Role, User
from tickets.accounts.services import hash_password
from tickets.catalogs.models import (
    Category,
    District,
    ElectoralProcess,
    Organization,
    RequesterType,
    State,
    System,
)
from tickets.extensions import db
from tickets.helpdesk import services
from tickets.helpdesk.models import Channel, Priority
from tickets.helpdesk.validation import TicketData

_counter = itertools.count(1)
PASSWORD = "contraseña-de-prueba"


def make_user(role: Role = Role.OPERATOR, organization: Organization | None = None, **kw) -> User:
    n = next(_counter)
    user = User(
        email=kw.pop("email", f"persona{n}@ine.mx"),
        name=kw.pop("name", f"Persona {n}"),
        role=role,
        organization=organization,
        password_hash=hash_password(PASSWORD),
        **kw,
    )
    db.session.add(user)
    db.session.commit()
    return user


def state(key: str) -> State:
    return db.session.scalar(sa.select(State).where(State.key == key))


def district(state_key: str, number: int) -> District:
    return db.session.scalar(
        sa.select(District).join(State).where(State.key == state_key, District.number == number)
    )


def org(key: str) -> Organization:
    """An organisation by catalog key: 'JL-12', 'JD-12-05', 'OPL-12', 'PP-PAN-12', 'CEN-DEOE'."""
    return db.session.scalar(sa.select(Organization).where(Organization.key == key))


def process(key: str) -> ElectoralProcess:
    return db.session.scalar(sa.select(ElectoralProcess).where(ElectoralProcess.key == key))


def system(key: str) -> System:
    return db.session.scalar(sa.select(System).where(System.key == key))


def category(key: str) -> Category:
    return db.session.scalar(sa.select(Category).where(Category.key == key))


def ticket_data(**overrides) -> TicketData:
    """A valid ticket: Junta Distrital 05 of Guerrero, SIJE, EXT-2021, November 2021."""
    from tickets.core.timeutil import parse_local

    organization = overrides.pop("organization", None) or org("JD-12-05")
    values = dict(
        requester_type=organization.kind,
        organization_id=organization.id,
        contact_name="María Hernández",
        contact_email="maria.hernandez@ine.mx",
        contact_phone="744 123 4567",
        state_id=organization.state_id
        or (state("12").id if organization.kind != RequesterType.CENTRAL else None),
        district_id=organization.district_id,
        process_id=process("EXT-2021").id,
        system_id=system("SIJE").id,
        category_id=category("INCIDENCIA").id,
        channel=Channel.PHONE,
        priority=Priority.HIGH,
        subject="El SIJE no carga el reporte de instalación",
        description="Desde las 8:00 el sistema de cómputo marca error al abrir el reporte.",
        received_at=parse_local("2021-11-14T09:30:00"),
    )
    values.update(overrides)
    return TicketData(**values)


def make_ticket(actor: User | None = None, now: datetime | None = None, **overrides):
    """Open a ticket through the real service; returns the ticket."""
    from tickets.accounts.services import system_user
    from tickets.core.timeutil import parse_local

    actor = actor or system_user()
    ticket, _code = services.open_ticket(
        actor, ticket_data(**overrides), now=now or parse_local("2021-11-14T10:00:00")
    )
    return ticket
