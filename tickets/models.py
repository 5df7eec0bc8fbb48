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
from tickets.notifications.models import OutboxMessage

install_search_ddl()

__all__ = [
    "Attachment",
    "AuditEvent",
    "Category",
    "Channel",
    "Comment",
    "District",
    "ElectoralProcess",
    "Election",
    "FolioCounter",
    "Organization",
    "OutboxMessage",
    "Party",
    "Priority",
    "RequesterType",
    "Role",
    "State",
    "Status",
    "System",
    "Ticket",
    "User",
]
