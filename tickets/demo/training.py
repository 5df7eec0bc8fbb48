"""The demo month's training log: sessions the desk gave in November 2021, as plain data.

The Juntas of the states with extraordinary elections learn the systems of their election day
(SIJE, representatives, cómputos), the OPL follow their PREP drills, and the OPL of the
2021-2022 local processes start with candidate registration and coordination with the
Institute. Recorded by the demo supervisor through ``training.services.record_session``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa

from tickets.accounts.models import Role, User
from tickets.catalogs.models import Organization, State, System
from tickets.core.db import utcnow
from tickets.core.timeutil import local_to_utc, to_mx
from tickets.demo import people
from tickets.extensions import db
from tickets.training import services
from tickets.training.models import Modality, TrainingSession

if TYPE_CHECKING:
    from tickets.demo.builder import Loading

IN_PERSON, REMOTE = Modality.IN_PERSON, Modality.REMOTE
FIRST_DAY, AFTER_LAST_DAY = date(2021, 11, 1), date(2021, 12, 1)
RECORDED_AT = time(19, 0)  # the supervisor logs each session at the end of its day


@dataclass(frozen=True)
class PlannedSession:
    """One session as the supervisor would type it; catalog rows by key."""

    day: int  # of November 2021
    state_key: str
    office_key: str | None  # None: several offices of the state attended
    topic: str
    system_key: str | None
    modality: Modality
    people: int
    notes: str = ""


SESSIONS: tuple[PlannedSession, ...] = (
    PlannedSession(
        3,
        "19",
        "JL-19",
        "Reporte de instalación de casillas con la APP-SIJE",
        "SIJE",
        IN_PERSON,
        18,
        "Previa a la jornada del 7 de noviembre.",
    ),
    PlannedSession(
        4,
        "15",
        "JD-15-28",
        "Registro y sustitución de representantes ante casilla",
        "REPRESENTANTES",
        IN_PERSON,
        12,
    ),
    PlannedSession(
        5,
        "14",
        "JD-14-16",
        "Operación del SIJE en la elección de San Pedro Tlaquepaque",
        "SIJE",
        IN_PERSON,
        23,
    ),
    PlannedSession(
        8,
        "15",
        "OPL-15",
        "PREP: digitalización y captura de actas en los CATD",
        "PREP",
        REMOTE,
        9,
        "Antes del simulacro; sesión por videoconferencia.",
    ),
    PlannedSession(
        9,
        "12",
        "JD-12-05",
        "Ubicación de casillas: recorridos y aprobación",
        "UBICACION_CASILLAS",
        IN_PERSON,
        11,
    ),
    PlannedSession(
        10, "29", "JL-29", "Cómputos de las presidencias de comunidad", "COMPUTOS", REMOTE, 14
    ),
    PlannedSession(
        11, "14", "OPL-14", "PREP: preparación del segundo simulacro", "PREP", REMOTE, 7
    ),
    PlannedSession(
        12,
        "18",
        "JL-18",
        "Representantes de partidos para la senaduría y La Yesca",
        "REPRESENTANTES",
        IN_PERSON,
        16,
    ),
    PlannedSession(16, "12", "OPL-12", "PREP: captura y verificación de actas", "PREP", REMOTE, 8),
    PlannedSession(
        17,
        "18",
        None,
        "Voto electrónico por internet de la senaduría de Nayarit",
        "SIVEI",
        REMOTE,
        21,
        "Juntas Local y Distritales de Nayarit.",
    ),
    PlannedSession(
        18,
        "10",
        "OPL-10",
        "Registro de candidaturas en el SNR para el PEL 2021-2022",
        "SNR",
        REMOTE,
        12,
    ),
    PlannedSession(
        19,
        "23",
        "OPL-23",
        "Seguimiento del plan integral y calendario de coordinación",
        "VINCULACION_OPL",
        REMOTE,
        6,
    ),
    PlannedSession(
        22,
        "01",
        "OPL-01",
        "Registro de candidaturas en el SNR para el PEL 2021-2022",
        "SNR",
        REMOTE,
        9,
    ),
    PlannedSession(
        23,
        "29",
        "JD-29-03",
        "Simulacro del SIJE para las presidencias de comunidad",
        "SIJE",
        IN_PERSON,
        10,
    ),
    PlannedSession(
        24,
        "20",
        "OPL-20",
        "Apoyo ciudadano para aspirantes a candidaturas independientes",
        "APOYO_CIUDADANO",
        REMOTE,
        15,
    ),
    PlannedSession(
        25,
        "12",
        "JL-12",
        "Simulacro del SIJE para la jornada del 28 de noviembre",
        "SIJE",
        IN_PERSON,
        19,
    ),
    PlannedSession(
        26,
        "09",
        "JL-09",
        "Registro y seguimiento de solicitudes de soporte en la Mesa TIC",
        None,
        IN_PERSON,
        25,
        "Actividad ordinaria; se entregó una guía rápida.",
    ),
    PlannedSession(
        29,
        "28",
        "OPL-28",
        "Conóceles: captura de la información curricular",
        "CONOCELES",
        REMOTE,
        10,
    ),
    PlannedSession(
        30, "13", "OPL-13", "Sistema de Vinculación con los OPL", "VINCULACION_OPL", REMOTE, 8
    ),
)
TOTAL_PEOPLE = sum(s.people for s in SESSIONS)


def load_training(loading: Loading) -> None:
    """The builder's loader: the month's sessions, recorded by the demo supervisor."""
    supervisor = next(m for m in people.STAFF if m.role is Role.SUPERVISOR)
    record_demo_sessions(loading.users[supervisor.email])


def record_demo_sessions(actor: User, now: datetime | None = None) -> int:
    """Record the planned sessions; return how many were written.

    Nothing is written when November 2021 already has sessions (a second load), and a session
    whose state, office or system is missing or deactivated in the catalogs is left out.
    """
    now = now or utcnow()
    if _month_has_sessions():
        return 0
    ids = _catalog_ids()
    written = 0
    for planned in SESSIONS:
        data = _data(planned, ids)
        held_on = date(2021, 11, planned.day)
        recorded_at = min(local_to_utc(datetime.combine(held_on, RECORDED_AT)), now)
        if data is None or held_on > to_mx(now).date():
            continue
        services.record_session(actor, data, now=recorded_at)
        written += 1
    return written


def _month_has_sessions() -> bool:
    query = sa.select(TrainingSession.id).where(
        TrainingSession.held_on >= FIRST_DAY, TrainingSession.held_on < AFTER_LAST_DAY
    )
    return db.session.scalar(query.limit(1)) is not None


def _catalog_ids() -> dict[tuple[str, str], int]:
    """(table, key) -> id of the active catalog rows the plan names."""
    ids: dict[tuple[str, str], int] = {}
    wanted = {
        "states": (State, {s.state_key for s in SESSIONS}),
        "organizations": (Organization, {s.office_key for s in SESSIONS} - {None}),
        "systems": (System, {s.system_key for s in SESSIONS} - {None}),
    }
    for table, (model, keys) in wanted.items():
        rows = db.session.execute(
            sa.select(model.key, model.id).where(model.key.in_(keys), model.is_active)
        )
        ids.update({(table, key): ident for key, ident in rows})
    return ids


def _data(planned: PlannedSession, ids: dict) -> services.SessionData | None:
    """The service's input, or None when a catalog row the session needs is missing."""
    wanted = [("states", planned.state_key), ("organizations", planned.office_key)]
    wanted.append(("systems", planned.system_key))
    if any(key is not None and (table, key) not in ids for table, key in wanted):
        return None
    return services.SessionData(
        held_on=date(2021, 11, planned.day),
        state_id=ids[("states", planned.state_key)],
        office_id=ids.get(("organizations", planned.office_key)),
        topic=planned.topic,
        system_id=ids.get(("systems", planned.system_key)),
        modality=planned.modality,
        people_trained=planned.people,
        notes=planned.notes,
    )
