"""Reference data every ticket is classified by. Entries are deactivated, never deleted."""

from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

from tickets.core.db import enum_type
from tickets.extensions import db


class RequesterType(enum.StrEnum):
    """Who a request comes from; an Organization's kind is one of these."""

    JUNTA = "junta"
    PARTY = "party"
    CANDIDACY = "candidacy"
    OPL = "opl"
    CENTRAL = "central"


REQUESTER_TYPE_LABELS = {
    RequesterType.JUNTA: "Junta Ejecutiva del INE",
    RequesterType.PARTY: "Representación de partido político",
    RequesterType.CANDIDACY: "Candidatura independiente",
    RequesterType.OPL: "Organismo Público Local (OPL)",
    RequesterType.CENTRAL: "Oficinas centrales del INE",
}


class ActiveMixin:
    """Deactivated entries stay on old tickets and leave the new-ticket choices."""

    is_active: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())


class State(ActiveMixin, db.Model):
    """An entidad federativa, keyed by its INEGI code ('01'..'32')."""

    __tablename__ = "states"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(2), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    display_name: so.Mapped[str] = so.mapped_column(sa.String(80))
    abbreviation: so.Mapped[str] = so.mapped_column(sa.String(10))

    districts: so.Mapped[list[District]] = so.relationship(
        back_populates="state", order_by="District.number"
    )

    def __str__(self) -> str:
        return self.display_name


class District(ActiveMixin, db.Model):
    """A federal electoral district (2017 map), numbered within its state."""

    __tablename__ = "districts"
    __table_args__ = (sa.UniqueConstraint("state_id", "number", name="uq_districts_state_number"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    state_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("states.id"), index=True)
    number: so.Mapped[int]
    head_town: so.Mapped[str] = so.mapped_column(sa.String(80))

    state: so.Mapped[State] = so.relationship(back_populates="districts")

    def __str__(self) -> str:
        return f"{self.number:02d} {self.head_town}"


class Party(ActiveMixin, db.Model):
    """A national political party; its representations per state are Organizations."""

    __tablename__ = "parties"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    acronym: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))

    def __str__(self) -> str:
        return self.acronym


class Organization(ActiveMixin, db.Model):
    """Every body a request comes from: Juntas, OPL, party representations, candidacies."""

    __tablename__ = "organizations"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(60), unique=True)
    kind: so.Mapped[RequesterType] = so.mapped_column(enum_type(RequesterType), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    acronym: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    state_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("states.id"), index=True)
    district_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("districts.id"))
    party_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("parties.id"))

    state: so.Mapped[State | None] = so.relationship()
    district: so.Mapped[District | None] = so.relationship()
    party: so.Mapped[Party | None] = so.relationship()

    def __str__(self) -> str:
        return self.name


class ProcessKind(enum.StrEnum):
    ORDINARY_FEDERAL = "ordinario_federal"
    ORDINARY_LOCAL = "ordinario_local"
    EXTRAORDINARY_FEDERAL = "extraordinario_federal"
    EXTRAORDINARY_LOCAL = "extraordinario_local"


PROCESS_KIND_LABELS = {
    ProcessKind.ORDINARY_FEDERAL: "Ordinario federal",
    ProcessKind.ORDINARY_LOCAL: "Ordinario local",
    ProcessKind.EXTRAORDINARY_FEDERAL: "Extraordinario federal",
    ProcessKind.EXTRAORDINARY_LOCAL: "Extraordinario local",
}


class ElectoralProcess(ActiveMixin, db.Model):
    """A proceso electoral with its start and end; tickets outside any are ordinary activity."""

    __tablename__ = "electoral_processes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(30), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    kind: so.Mapped[ProcessKind] = so.mapped_column(enum_type(ProcessKind))
    starts_on: so.Mapped[date]
    ends_on: so.Mapped[date]

    elections: so.Mapped[list[Election]] = so.relationship(
        back_populates="process", order_by="Election.election_day", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return f"{self.key} · {self.name}"


class Election(db.Model):
    """One election of a process in one state, with its election day (jornada electoral)."""

    __tablename__ = "elections"
    __table_args__ = (
        sa.UniqueConstraint(
            "process_id", "state_id", "election_day", name="uq_elections_process_state_day"
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    process_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("electoral_processes.id"), index=True
    )
    state_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("states.id"), index=True)
    election_day: so.Mapped[date]
    description: so.Mapped[str] = so.mapped_column(sa.String(400), default="")

    process: so.Mapped[ElectoralProcess] = so.relationship(back_populates="elections")
    state: so.Mapped[State] = so.relationship()


class System(ActiveMixin, db.Model):
    """One of the Institute's computer systems a request is about."""

    __tablename__ = "systems"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(250))
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    def __str__(self) -> str:
        return self.name


class Category(ActiveMixin, db.Model):
    """What kind of help is asked for (failure, access, question…)."""

    __tablename__ = "categories"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    def __str__(self) -> str:
        return self.name
