"""Monthly reports: a draft per month, frozen into versions when a supervisor approves."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from tickets.core.db import UTCDateTime, enum_type, utcnow
from tickets.extensions import db

if TYPE_CHECKING:
    from tickets.accounts.models import User


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SUPERSEDED = "superseded"  # an approved version reopened as a newer one


class MonthlyReport(db.Model):
    """One version of one month's report; only one version of a month is not superseded."""

    __tablename__ = "monthly_reports"
    __table_args__ = (
        sa.UniqueConstraint("month", "version", name="uq_monthly_reports_month_version"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    month: so.Mapped[str] = so.mapped_column(sa.String(7), index=True)  # "2021-11"
    version: so.Mapped[int] = so.mapped_column(default=1)
    status: so.Mapped[ReportStatus] = so.mapped_column(
        enum_type(ReportStatus), default=ReportStatus.DRAFT
    )
    # Free fields of the form, edited by supervisors (blank by default, as in the seed).
    visit_date: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    junta: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    districts: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    objective: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    agreements: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    particular_matters: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    opportunity_areas: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    ordinary_activity: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    pycipef: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    cip_project: so.Mapped[str] = so.mapped_column(
        sa.String(200), default="F091910 Apoyo a procesos electorales en materia de TIC"
    )
    observations: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # Supervisor's adjustments of generated paragraphs: {"paragraph key": "text"}.
    wording_overrides: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    # Frozen at approval: the figures and the rendered documents never change afterwards.
    snapshot: so.Mapped[dict | None] = so.mapped_column(sa.JSON)
    data_fingerprint: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    approved_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    approved_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version_id: so.Mapped[int] = so.mapped_column(nullable=False)

    approved_by: so.Mapped[User | None] = so.relationship()
    documents: so.WriteOnlyMapped[ReportDocument] = so.relationship(back_populates="report")

    __mapper_args__ = {"version_id_col": version_id}


class ReportDocument(db.Model):
    """A rendered file of an approved version (DOCX, XLSX, CSV), kept byte for byte."""

    __tablename__ = "report_documents"
    __table_args__ = (
        sa.UniqueConstraint("report_id", "format", name="uq_report_documents_report_format"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    report_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("monthly_reports.id"), index=True)
    format: so.Mapped[str] = so.mapped_column(sa.String(10))
    filename: so.Mapped[str] = so.mapped_column(sa.String(200))
    content: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    report: so.Mapped[MonthlyReport] = so.relationship(back_populates="documents")
