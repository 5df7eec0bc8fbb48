"""What a ticket's status means for the person who asked, what comes next and by when.

The resolution targets below are the desk's published promise until the SLA feature exists;
they live only here so that feature can replace ``resolution_promise`` in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tickets.helpdesk import services
from tickets.helpdesk.models import Priority, Status, Ticket

# Working hours the desk commits to for resolving a request, by priority (resolution target).
RESOLUTION_TARGET_HOURS = {
    Priority.CRITICAL: 4,
    Priority.HIGH: 8,
    Priority.MEDIUM: 24,
    Priority.LOW: 72,
}

PRIORITY_WORDS = {
    Priority.CRITICAL: "crítica",
    Priority.HIGH: "alta",
    Priority.MEDIUM: "media",
    Priority.LOW: "baja",
}

MEANINGS = {
    Status.NEW: "Recibida: su solicitud llegó a la mesa y espera que una persona la tome.",
    Status.ASSIGNED: "Asignada: una persona de la mesa ya es responsable de su solicitud.",
    Status.IN_PROGRESS: "En atención: una persona de la mesa trabaja en su solicitud.",
    Status.WAITING: "En espera: la mesa necesita información de usted o de un tercero "
    "para continuar.",
    Status.RESOLVED: "Resuelta: la mesa considera que su solicitud quedó atendida.",
    Status.CLOSED: "Cerrada: la solicitud concluyó.",
    Status.CANCELLED: "Cancelada: la solicitud no se atenderá.",
}

NEXT_STEPS = {
    Status.NEW: "La mesa la revisará, confirmará su prioridad y la asignará a una persona.",
    Status.ASSIGNED: "La persona responsable comenzará a atenderla; le avisaremos por correo si "
    "necesita algo de usted.",
    Status.IN_PROGRESS: "Cuando quede resuelta le avisaremos por correo para que confirme la "
    "solución.",
    Status.WAITING: "Lea el último comentario de la mesa y responda. Mientras esperamos su "
    "respuesta, el plazo de atención se detiene.",
    Status.RESOLVED: "Revise la solución. Si funciona, confírmela; si no, reábrala explicando "
    "el motivo.",
    Status.CLOSED: "Si el problema vuelve a presentarse, abra una solicitud nueva y mencione "
    "este folio.",
    Status.CANCELLED: "Si aún necesita ayuda, abra una solicitud nueva y mencione este folio.",
}

OPEN = frozenset({Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING})


@dataclass(frozen=True)
class Explanation:
    """The status in plain Spanish, the next step, the desk's promise and the relevant dates."""

    meaning: str
    next_step: str
    promise: str | None
    due_at: datetime | None
    reopen_until: datetime | None


def resolution_promise(priority: Priority) -> str:
    """'La mesa se compromete a resolver las solicitudes de prioridad alta en 8 horas hábiles.'"""
    hours = RESOLUTION_TARGET_HOURS[priority]
    return (
        f"La mesa se compromete a resolver las solicitudes de prioridad "
        f"{PRIORITY_WORDS[priority]} en {hours} horas hábiles."
    )


def explain(ticket: Ticket) -> Explanation:
    """Everything the status box of a requester or lookup page says about ``ticket``."""
    is_open = ticket.status in OPEN
    return Explanation(
        meaning=MEANINGS[ticket.status],
        next_step=NEXT_STEPS[ticket.status],
        promise=resolution_promise(ticket.priority) if is_open else None,
        due_at=ticket.resolution_due_at if is_open else None,
        reopen_until=(
            services.reopen_deadline(ticket) if ticket.status is Status.RESOLVED else None
        ),
    )
