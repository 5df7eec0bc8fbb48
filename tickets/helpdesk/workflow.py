"""The only place the allowed status moves are written down (DESIGN.md, Ticket)."""

from __future__ import annotations

from tickets.helpdesk.models import Channel, Priority, Status

ALLOWED_MOVES: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.ASSIGNED, Status.CANCELLED}),
    Status.ASSIGNED: frozenset({Status.IN_PROGRESS, Status.CANCELLED}),
    Status.IN_PROGRESS: frozenset({Status.WAITING, Status.RESOLVED, Status.CANCELLED}),
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.CANCELLED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset(),
    Status.CANCELLED: frozenset(),
}

OPEN_STATUSES = frozenset({Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING})
FINISHED_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})

STATUS_LABELS = {
    Status.NEW: "Nuevo",
    Status.ASSIGNED: "Asignado",
    Status.IN_PROGRESS: "En atención",
    Status.WAITING: "En espera",
    Status.RESOLVED: "Resuelto",
    Status.CLOSED: "Cerrado",
    Status.CANCELLED: "Cancelado",
}

# What the button that makes the move says on the ticket page.
MOVE_LABELS = {
    Status.ASSIGNED: "Asignar",
    Status.IN_PROGRESS: "Poner en atención",
    Status.WAITING: "Poner en espera",
    Status.RESOLVED: "Marcar como resuelto",
    Status.CLOSED: "Cerrar",
    Status.CANCELLED: "Cancelar",
}

PRIORITY_LABELS = {
    Priority.LOW: "Baja",
    Priority.MEDIUM: "Media",
    Priority.HIGH: "Alta",
    Priority.CRITICAL: "Crítica",
}

CHANNEL_LABELS = {
    Channel.PHONE: "Teléfono",
    Channel.EMAIL: "Correo electrónico",
    Channel.PORTAL: "Portal",
    Channel.IN_PERSON: "En persona",
    Channel.CHAT: "Chat",
}


def is_allowed(current: Status, to: Status) -> bool:
    """True when the workflow table lets a ticket move from ``current`` to ``to``."""
    return to in ALLOWED_MOVES[current]
