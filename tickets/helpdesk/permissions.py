"""Who may do what to a ticket: pure predicates, shared by services and templates."""

from __future__ import annotations

from tickets.accounts.models import Role, User
from tickets.helpdesk.models import Status, Ticket

# A requester may only confirm a fix or say it is not fixed (issue: requesters).
REQUESTER_MOVES = frozenset(
    {(Status.RESOLVED, Status.CLOSED), (Status.RESOLVED, Status.IN_PROGRESS)}
)


def can_view_ticket(user: User, ticket: Ticket) -> bool:
    """Staff see every ticket; a requester only their organisation's."""
    if user.is_staff:
        return True
    return user.organization_id is not None and user.organization_id == ticket.organization_id


def can_see_internal(user: User) -> bool:
    """Internal notes and internal files are for staff only."""
    return user.is_staff


def can_open_ticket(user: User, organization_id: int) -> bool:
    """Staff log tickets for anyone; a requester only for their own organisation."""
    return user.is_staff or (user.is_requester and user.organization_id == organization_id)


def can_edit_ticket(user: User, ticket: Ticket) -> bool:
    """Only staff reclassify a ticket."""
    return user.is_staff


def can_assign(user: User, ticket: Ticket, assignee: User | None) -> bool:
    """Operators triage unassigned tickets and take them; supervisors reassign anything."""
    if user.role in (Role.ADMIN, Role.SUPERVISOR):
        return True
    if user.role is not Role.OPERATOR:
        return False
    return ticket.assignee_id is None or ticket.assignee_id == user.id


def can_transition(user: User, ticket: Ticket, to: Status) -> bool:
    """Staff make any allowed move; a requester only confirms or reopens their own."""
    if user.is_staff:
        return True
    return can_view_ticket(user, ticket) and (ticket.status, to) in REQUESTER_MOVES


def can_comment(user: User, ticket: Ticket, internal: bool) -> bool:
    """Everyone who sees a ticket may reply; only staff write internal notes."""
    if internal and not can_see_internal(user):
        return False
    return can_view_ticket(user, ticket)
