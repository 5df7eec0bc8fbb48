"""Every feature's models in one import: what Alembic and create_all see."""

from tickets.accounts.models import Role, User
from tickets.catalogs.models import (
    Category,
    District,
    Election,
    ElectoralProcess,
    Organization,
    Party,
    RequesterType,
    State,
    System,
)
from tickets.catalogs.revision import CatalogRevision, install_revision_ddl
from tickets.helpdesk.models import (
    Attachment,
    AuditEvent,
    Channel,
    Comment,
    FolioCounter,
    Priority,
    Status,
    Ticket,
)
from tickets.helpdesk.search import install_search_ddl
from tickets.jobs.models import JobRun, SchedulerLease
from tickets.notifications.models import OutboxMessage
from tickets.prep.models import PrepEvent, PrepEventKind
from tickets.reports.models import MonthlyReport, ReportDocument, ReportStatus
from tickets.sla.models import NonWorkingDay, SlaBreach, SlaPolicy, SlaRecompute, SlaTarget
from tickets.training.models import Modality, TrainingSession

install_search_ddl()
install_revision_ddl()

__all__ = [
    "Attachment",
    "AuditEvent",
    "CatalogRevision",
    "Category",
    "Channel",
    "Comment",
    "District",
    "JobRun",
    "NonWorkingDay",
    "ElectoralProcess",
    "Election",
    "FolioCounter",
    "Modality",
    "MonthlyReport",
    "Organization",
    "OutboxMessage",
    "Party",
    "PrepEvent",
    "PrepEventKind",
    "Priority",
    "ReportDocument",
    "ReportStatus",
    "RequesterType",
    "SchedulerLease",
    "SlaBreach",
    "SlaPolicy",
    "SlaRecompute",
    "SlaTarget",
    "Role",
    "State",
    "Status",
    "System",
    "Ticket",
    "TrainingSession",
    "User",
]
