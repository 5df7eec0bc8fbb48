"""The seed report's PREP facts for November 2021, recorded through prep.services.

EXT-2021 drills: Estado de México 4 Nov; Guerrero 14 and 21; Jalisco 7 and 14; Nayarit 21, 24
and 28 (the seed's "21, 42 y 28" is the typo the system makes impossible); Tlaxcala 21.
Operations on each state's election day: Estado de México 14, Jalisco 21, Guerrero 28 and
Tlaxcala 28 (Nayarit's election is on 5 December, outside the month).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa

from tickets.accounts import services as accounts
from tickets.accounts.models import Role, User
from tickets.catalogs.models import ElectoralProcess, State
from tickets.core.timeutil import local_to_utc
from tickets.extensions import db
from tickets.prep import services
from tickets.prep.models import PrepEvent, PrepEventKind

if TYPE_CHECKING:
    from tickets.demo.builder import Loading

PROCESS = "EXT-2021"
_JL = "de la Junta Local Ejecutiva en"
_RFE = "Vocalía del Registro Federal de Electores"
_OE = "Vocalía de Organización Electoral"
_VE = "Vocalía Ejecutiva"
_VS = "Vocalía Secretarial"


@dataclass(frozen=True)
class DemoEvent:
    """One PREP drill or operation the Junta Local followed (Reglamento de Elecciones, 354)."""

    state_key: str
    kind: PrepEventKind
    held_on: date
    followed_by: str
    outcome: str
    notes: str = ""


def _drill(state_key, day, followed_by, outcome, notes=""):
    return DemoEvent(
        state_key, PrepEventKind.DRILL, date(2021, 11, day), followed_by, outcome, notes
    )


def _operation(state_key, day, followed_by, outcome, notes=""):
    return DemoEvent(
        state_key, PrepEventKind.OPERATION, date(2021, 11, day), followed_by, outcome, notes
    )


EVENTS = (
    _drill(
        "15",
        4,
        f"{_VS} {_JL} el Estado de México",
        "Sin incidencias",
        "Participaron el CATD de Nextlalpan y el centro de captura del IEEM.",
    ),
    _drill("12", 14, f"{_RFE} {_JL} Guerrero", "Se reportó lentitud en la captura; se corrigió"),
    _drill("12", 21, f"{_RFE} {_JL} Guerrero", "Sin incidencias"),
    _drill("14", 7, f"{_OE} {_JL} Jalisco", "Sin incidencias"),
    _drill(
        "14",
        14,
        f"{_OE} {_JL} Jalisco",
        "Falla de escáner en un CATD; se sustituyó el equipo",
        "El IEPC Jalisco repitió la digitalización de 12 actas de prueba.",
    ),
    _drill("18", 21, f"{_OE} {_JL} Nayarit", "Sin incidencias"),
    _drill(
        "18",
        24,
        f"{_OE} {_JL} Nayarit",
        "Se reportó lentitud en la publicación; se amplió el ancho de banda",
    ),
    _drill("18", 28, f"{_OE} {_JL} Nayarit", "Sin incidencias"),
    _drill("29", 21, f"{_VE} {_JL} Tlaxcala", "Sin incidencias"),
    _operation(
        "15",
        14,
        f"{_VS} {_JL} el Estado de México",
        "Sin incidencias; se publicó el 100 % de las actas esperadas",
    ),
    _operation(
        "14",
        21,
        f"{_OE} {_JL} Jalisco",
        "Sin incidencias",
        "Primer corte de información publicado a las 20:00 h.",
    ),
    _operation(
        "12",
        28,
        f"{_RFE} {_JL} Guerrero",
        "Un CATD sin conexión durante 20 minutos; operó con el enlace de respaldo",
    ),
    _operation("29", 28, f"{_VE} {_JL} Tlaxcala", "Sin incidencias"),
)

RECORDED_AT = time(21, 0)  # the Junta Local reports the evening of each event


def load_prep(loading: Loading) -> None:
    """Record the seed's drills and operations as the demo's supervisor; skip those present."""
    actor = _supervisor(loading.users.values())
    process = db.session.scalar(sa.select(ElectoralProcess).where(ElectoralProcess.key == PROCESS))
    states = dict(db.session.execute(sa.select(State.key, State.id)).all())
    present = {
        (state_id, kind, held_on)
        for state_id, kind, held_on in db.session.execute(
            sa.select(PrepEvent.state_id, PrepEvent.kind, PrepEvent.held_on).where(
                PrepEvent.process_id == process.id
            )
        )
    }
    for event in sorted(EVENTS, key=lambda e: (e.held_on, e.kind)):
        if (states[event.state_key], event.kind, event.held_on) in present:
            continue
        data = services.PrepEventData(
            process_id=process.id,
            state_id=states[event.state_key],
            kind=event.kind,
            held_on=event.held_on,
            followed_by=event.followed_by,
            outcome=event.outcome,
            notes=event.notes,
        )
        now = local_to_utc(datetime.combine(event.held_on, RECORDED_AT))
        services.record_event(actor, data, now=now)


def _supervisor(users) -> User:
    for user in users:
        if user is not None and user.role is Role.SUPERVISOR:
            return user
    return accounts.system_user()
