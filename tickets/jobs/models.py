"""Who runs the scheduled jobs (a lease per job and tick) and what each run did."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tickets.core.db import UTCDateTime, utcnow
from tickets.extensions import db


class SchedulerLease(db.Model):
    """One row per job: the scheduler process holding it runs the job; others skip the tick."""

    __tablename__ = "scheduler_leases"

    name: so.Mapped[str] = so.mapped_column(sa.String(80), primary_key=True)
    holder: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    expires_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)


class JobRun(db.Model):
    """One run of one job: when it started and ended, and how it went."""

    __tablename__ = "job_runs"
    __table_args__ = (
        sa.Index("ix_job_runs_job_started", "job", "started_at"),
        sa.UniqueConstraint("job", "tick", name="uq_job_runs_job_tick"),  # one run per tick
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    job: so.Mapped[str] = so.mapped_column(sa.String(80))
    tick: so.Mapped[str] = so.mapped_column(sa.String(40))  # the scheduled instant it ran for
    holder: so.Mapped[str] = so.mapped_column(sa.String(120))
    started_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    finished_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    outcome: so.Mapped[str] = so.mapped_column(sa.String(20), default="running")
    summary: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    error: so.Mapped[str | None] = so.mapped_column(sa.Text)
