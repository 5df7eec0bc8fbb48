"""What a ticket's status means for the person who asked, what comes next and by when.

The promise is the SLA policy of the ticket's priority (tickets/sla), in the words of its clock:
office hours, or every hour while the ticket's state is in electoral process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tickets.core.db import utcnow
from tickets.core.timeutil import to_mx
from tickets.helpdesk import services
from tickets.helpdesk.models import Priority, Status, Ticket
from tickets.sla import services as sla

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


def resolution_promise(priority: Priority, in_process: bool) -> str:
    """'La mesa se compromete a resolver las solicitudes de prioridad alta en 8 horas hábiles…'"""
    span = duration_words(sla.targets_for(priority).resolution)
    clock = (
        f"{span}, contando todos los días y horas porque su entidad está en proceso electoral"
        if in_process
        else f"{span} hábiles (lunes a viernes de 9:00 a 18:00, sin días festivos)"
    )
    return (
        f"La mesa se compromete a resolver las solicitudes de prioridad "
        f"{PRIORITY_WORDS[priority]} en {clock}."
    )


def duration_words(span: timedelta) -> str:
    """'8 horas', '1 hora 30 minutos', '15 minutos'."""
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hora" + ("s" if hours != 1 else ""))
    if minutes or not hours:
        parts.append(f"{minutes} minuto" + ("s" if minutes != 1 else ""))
    return " ".join(parts)


def explain(ticket: Ticket, now: datetime | None = None) -> Explanation:
    """Everything the status box of a requester or lookup page says about ``ticket``."""
    is_open = ticket.status in OPEN
    promise = None
    if is_open:
        today = to_mx(now or utcnow()).date()
        in_process = sla.state_calendar(ticket.state_id).in_process(today)
        promise = resolution_promise(ticket.priority, in_process)
    return Explanation(
        meaning=MEANINGS[ticket.status],
        next_step=NEXT_STEPS[ticket.status],
        promise=promise,
        due_at=ticket.resolution_due_at if is_open else None,
        reopen_until=(
            services.reopen_deadline(ticket) if ticket.status is Status.RESOLVED else None
        ),
    )
