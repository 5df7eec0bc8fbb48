"""First light: the catalogs load and a ticket opens through the service."""

import sqlalchemy as sa

from tests.factories import make_ticket
from tickets.catalogs.models import District, Organization, RequesterType, State
from tickets.extensions import db


def test_catalog_counts(ctx):
    assert db.session.scalar(sa.select(sa.func.count()).select_from(State)) == 32
    assert db.session.scalar(sa.select(sa.func.count()).select_from(District)) == 300
    opl = sa.select(sa.func.count()).where(Organization.kind == RequesterType.OPL)
    assert db.session.scalar(opl) == 32


def test_open_ticket_gets_a_folio(ctx, operator):
    ticket = make_ticket(operator)
    assert ticket.folio == "TIC-2021-000001"
    assert make_ticket(operator).folio == "TIC-2021-000002"
