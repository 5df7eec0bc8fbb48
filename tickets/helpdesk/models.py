"""Tickets and their children: comments, attachments and the append-only audit trail."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from tickets.catalogs.models import RequesterType
from tickets.core.db import UTCDateTime, enum_type, utcnow
from tickets.extensions import db

if TYPE_CHECKING:
    from tickets.accounts.models import User
    from tickets.catalogs.models import (
        Category,
        District,
        ElectoralProcess,
        Organization,
        State,
        System,
    )


class Status(enum.StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Priority(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Channel(enum.StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    PORTAL = "portal"
    IN_PERSON = "in_person"
    CHAT = "chat"


class FolioCounter(db.Model):
    """The last folio number handed out per year; one row locked per allocation."""

    __tablename__ = "folio_counters"

    year: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    last: so.Mapped[int] = so.mapped_column(default=0)


def _filtered_index(column: str) -> sa.Index:
    """Queue filters sort by received_at; one composite index per filter keeps pages cheap."""
    return sa.Index(f"ix_tickets_{column}_received", column, "received_at")


# Written as literals: a query proves it may use the partial index only if it repeats them.
OPEN_TICKETS = sa.text("status IN ('new', 'assigned', 'in_progress', 'waiting')")
OPEN_BOARD_COLUMNS = (
    "status",
    "priority",
    "requester_type",
    "state_id",
    "process_id",
    "system_id",
    "assignee_id",
    "first_response_at",
    "first_response_risk_at",
    "first_response_due_at",
    "resolution_risk_at",
    "resolution_due_at",
    "id",
)


class Ticket(db.Model):
    """A support request, from the first contact to its close or cancellation."""

    __tablename__ = "tickets"
    __table_args__ = (
        _filtered_index("status"),
        _filtered_index("priority"),
        _filtered_index("state_id"),
        _filtered_index("process_id"),
        _filtered_index("system_id"),
        _filtered_index("requester_type"),
        _filtered_index("assignee_id"),
        _filtered_index("organization_id"),
        # "Open tickets of one state", the Juntas' desk view: without it PostgreSQL intersects
        # the status and state indexes and sorts (14-27 ms at 1M tickets, docs/performance.md).
        sa.Index("ix_tickets_state_status_received", "state_id", "status", "received_at"),
        # The monthly report's GROUP BYs read only these columns: an index-only scan per month.
        sa.Index(
            "ix_tickets_report_month_cover",
            "report_month",
            "process_id",
            "requester_type",
            "state_id",
            "system_id",
            "received_at",
            "resolved_at",
            "closed_at",
            "cancelled_at",
        ),
        # The supervisor's dashboard (tickets/dashboard) reads only open tickets and only these
        # columns: a small partial index serves every panel without reading ticket rows.
        sa.Index(
            "ix_tickets_open_board",
            *OPEN_BOARD_COLUMNS,
            sqlite_where=OPEN_TICKETS,
            postgresql_where=OPEN_TICKETS,
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    folio: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    access_code_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    external_id: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)

    requester_type: so.Mapped[RequesterType] = so.mapped_column(enum_type(RequesterType))
    organization_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organizations.id"))
    contact_name: so.Mapped[str] = so.mapped_column(sa.String(120))
    contact_email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    contact_phone: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    state_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("states.id"))
    district_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("districts.id"))
    office_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("organizations.id"))
    process_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("electoral_processes.id"))
    system_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("systems.id"))
    category_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("categories.id"))
    channel: so.Mapped[Channel] = so.mapped_column(enum_type(Channel))
    priority: so.Mapped[Priority] = so.mapped_column(enum_type(Priority))
    subject: so.Mapped[str] = so.mapped_column(sa.String(200))
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    status: so.Mapped[Status] = so.mapped_column(enum_type(Status), default=Status.NEW)
    assignee_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))

    received_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    report_month: so.Mapped[str] = so.mapped_column(sa.String(7))  # "2021-11", Mexico City
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    first_response_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    resolved_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    closed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    cancelled_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    first_response_due_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    resolution_due_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # The SLA clock (tickets/sla): when 75% of each target is used up (the ticket is "at risk"),
    # and whether each target was met, recorded when the first response / resolution happens.
    # Due and risk times are empty while the clock is stopped (waiting on the requester).
    first_response_risk_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    resolution_risk_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    first_response_met: so.Mapped[bool | None]
    resolution_met: so.Mapped[bool | None]

    search_text: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    version: so.Mapped[int] = so.mapped_column(nullable=False)

    organization: so.Mapped[Organization] = so.relationship(foreign_keys=[organization_id])
    office: so.Mapped[Organization | None] = so.relationship(foreign_keys=[office_id])
    state: so.Mapped[State | None] = so.relationship()
    district: so.Mapped[District | None] = so.relationship()
    process: so.Mapped[ElectoralProcess | None] = so.relationship()
    system: so.Mapped[System] = so.relationship()
    category: so.Mapped[Category] = so.relationship()
    assignee: so.Mapped[User | None] = so.relationship(foreign_keys=[assignee_id])
    created_by: so.Mapped[User] = so.relationship(foreign_keys=[created_by_id])
    comments: so.WriteOnlyMapped[Comment] = so.relationship(
        back_populates="ticket", order_by="Comment.id"
    )
    attachments: so.WriteOnlyMapped[Attachment] = so.relationship(
        back_populates="ticket", order_by="Attachment.id"
    )
    audit_events: so.WriteOnlyMapped[AuditEvent] = so.relationship(
        back_populates="ticket", order_by="AuditEvent.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Ticket {self.folio} {self.status}>"


class Comment(db.Model):
    """A public reply or an internal note; internal notes never reach a requester."""

    __tablename__ = "comments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    ticket_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("tickets.id"), index=True)
    author_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    is_internal: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    ticket: so.Mapped[Ticket] = so.relationship(back_populates="comments")
    author: so.Mapped[User] = so.relationship()


class Attachment(db.Model):
    """A file on a ticket, stored once by content hash under the instance folder."""

    __tablename__ = "attachments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    ticket_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("tickets.id"), index=True)
    comment_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("comments.id"))
    uploaded_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    filename: so.Mapped[str] = so.mapped_column(sa.String(255))
    content_type: so.Mapped[str] = so.mapped_column(sa.String(120))
    size: so.Mapped[int]
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    is_internal: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    ticket: so.Mapped[Ticket] = so.relationship(back_populates="attachments")
    comment: so.Mapped[Comment | None] = so.relationship()
    uploaded_by: so.Mapped[User] = so.relationship()


class AuditEvent(db.Model):
    """One changed field of one ticket; rows are never updated or deleted."""

    __tablename__ = "audit_events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    ticket_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("tickets.id"), index=True)
    actor_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    field: so.Mapped[str] = so.mapped_column(sa.String(40))
    old: so.Mapped[str | None] = so.mapped_column(sa.Text)
    new: so.Mapped[str | None] = so.mapped_column(sa.Text)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    ticket: so.Mapped[Ticket] = so.relationship(back_populates="audit_events")
    actor: so.Mapped[User] = so.relationship()
