"""Load the catalogs from the CSV files shipped in `tickets/catalogs/data/`.

Loading is insert-only and keyed: a second run adds what is missing and leaves every existing
entry as an admin may have edited it (a renamed OPL stays renamed).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from tickets.catalogs.models import (
    Category,
    District,
    Election,
    ElectoralProcess,
    Organization,
    Party,
    ProcessKind,
    RequesterType,
    State,
    System,
)
from tickets.extensions import db

DATA = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    """How many entries of each catalog a load added."""

    added: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        if not self.added:
            return "Catálogos al día: no se agregó nada."
        parts = ", ".join(f"{name}: {count}" for name, count in sorted(self.added.items()))
        return f"Catálogos cargados ({parts})."


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _existing(model, column) -> dict:
    return {key: obj for obj in db.session.scalars(sa.select(model)) for key in [column(obj)]}


def load_catalogs() -> LoadReport:
    """Insert every missing catalog entry in one transaction."""
    report = LoadReport()
    states = _load_states(report)
    districts = _load_districts(report, states)
    _load_juntas(report, states, districts)
    _load_opl(report, states)
    parties = _load_parties(report)
    _load_party_representations(report, states, parties)
    _load_central_offices(report)
    processes = _load_processes(report)
    _load_elections(report, states, processes)
    _load_simple(report, System, "sistemas.csv", "systems")
    _load_simple(report, Category, "categorias.csv", "categories")
    if policies := _load_sla_policies():
        report.added["sla policies"] = policies
    db.session.commit()
    return report


def _load_sla_policies() -> int:
    """The default targets per priority, as rows admins can edit (tickets/sla)."""
    from tickets.sla.services import ensure_default_policies

    return ensure_default_policies()


def _load_states(report: LoadReport) -> dict[str, State]:
    states = _existing(State, lambda s: s.key)
    for row in _rows("entidades.csv"):
        if row["clave"] not in states:
            states[row["clave"]] = State(
                key=row["clave"],
                name=row["nombre"],
                display_name=row["nombre_corto"],
                abbreviation=row["abreviatura"],
            )
            db.session.add(states[row["clave"]])
            report.added["states"] += 1
    db.session.flush()
    return states


def _load_districts(
    report: LoadReport, states: dict[str, State]
) -> dict[tuple[str, int], District]:
    districts = _existing(District, lambda d: (d.state.key, d.number))
    for row in _rows("distritos.csv"):
        key = (row["clave_entidad"], int(row["distrito"]))
        if key not in districts:
            districts[key] = District(
                state=states[key[0]], number=key[1], head_town=row["cabecera"]
            )
            db.session.add(districts[key])
            report.added["districts"] += 1
    db.session.flush()
    return districts


def _add_organization(report: LoadReport, known: set[str], **values) -> None:
    if values["key"] in known:
        return
    db.session.add(Organization(**values))
    known.add(values["key"])
    report.added["organizations"] += 1


def _organization_keys() -> set[str]:
    return set(db.session.scalars(sa.select(Organization.key)))


def junta_local_key(state_key: str) -> str:
    return f"JL-{state_key}"


def junta_distrital_key(state_key: str, number: int) -> str:
    return f"JD-{state_key}-{number:02d}"


def opl_key(state_key: str) -> str:
    return f"OPL-{state_key}"


def party_key(acronym: str, state_key: str) -> str:
    return f"PP-{acronym}-{state_key}"


def _load_juntas(report, states, districts) -> None:
    known = _organization_keys()
    for state in states.values():
        _add_organization(
            report,
            known,
            key=junta_local_key(state.key),
            kind=RequesterType.JUNTA,
            name=f"Junta Local Ejecutiva en {state.display_name}",
            acronym=f"JLE {state.abbreviation}",
            state=state,
        )
    for (state_key, number), district in districts.items():
        _add_organization(
            report,
            known,
            key=junta_distrital_key(state_key, number),
            kind=RequesterType.JUNTA,
            name=(
                f"Junta Distrital Ejecutiva {number:02d} en {states[state_key].display_name} "
                f"({district.head_town})"
            ),
            acronym=f"JDE {number:02d} {states[state_key].abbreviation}",
            state=states[state_key],
            district=district,
        )


def _load_opl(report, states) -> None:
    known = _organization_keys()
    for row in _rows("opl.csv"):
        _add_organization(
            report,
            known,
            key=opl_key(row["clave_entidad"]),
            kind=RequesterType.OPL,
            name=row["nombre"],
            acronym=row["siglas"],
            state=states[row["clave_entidad"]],
        )


def _load_parties(report) -> dict[str, Party]:
    parties = _existing(Party, lambda p: p.acronym)
    for row in _rows("partidos.csv"):
        if row["siglas"] not in parties:
            parties[row["siglas"]] = Party(acronym=row["siglas"], name=row["nombre"])
            db.session.add(parties[row["siglas"]])
            report.added["parties"] += 1
    db.session.flush()
    return parties


def _load_party_representations(report, states, parties) -> None:
    known = _organization_keys()
    for party in parties.values():
        for state in states.values():
            _add_organization(
                report,
                known,
                key=party_key(party.acronym, state.key),
                kind=RequesterType.PARTY,
                name=f"Representación de {party.name} en {state.display_name}",
                acronym=party.acronym,
                state=state,
                party=party,
            )


def _load_central_offices(report) -> None:
    known = _organization_keys()
    for row in _rows("oficinas_centrales.csv"):
        _add_organization(
            report,
            known,
            key=f"CEN-{row['siglas']}",
            kind=RequesterType.CENTRAL,
            name=row["nombre"],
            acronym=row["siglas"],
        )


def _load_processes(report) -> dict[str, ElectoralProcess]:
    processes = _existing(ElectoralProcess, lambda p: p.key)
    for row in _rows("procesos.csv"):
        if row["clave"] not in processes:
            processes[row["clave"]] = ElectoralProcess(
                key=row["clave"],
                name=row["nombre"],
                kind=ProcessKind(row["tipo"]),
                starts_on=date.fromisoformat(row["inicio"]),
                ends_on=date.fromisoformat(row["fin"]),
            )
            db.session.add(processes[row["clave"]])
            report.added["processes"] += 1
    db.session.flush()
    return processes


def _load_elections(report, states, processes) -> None:
    known = {
        (e.process.key, e.state.key, e.election_day)
        for e in db.session.scalars(sa.select(Election))
    }
    for row in _rows("elecciones.csv"):
        state_keys = list(states) if row["clave_entidad"] == "*" else [row["clave_entidad"]]
        day = date.fromisoformat(row["fecha_jornada"])
        for state_key in state_keys:
            if (row["proceso"], state_key, day) in known:
                continue
            db.session.add(
                Election(
                    process=processes[row["proceso"]],
                    state=states[state_key],
                    election_day=day,
                    description=row["descripcion"],
                )
            )
            known.add((row["proceso"], state_key, day))
            report.added["elections"] += 1


def _load_simple(report, model, filename: str, label: str) -> None:
    known = set(db.session.scalars(sa.select(model.key)))
    for row in _rows(filename):
        if row["clave"] not in known:
            db.session.add(
                model(key=row["clave"], name=row["nombre"], description=row["descripcion"])
            )
            known.add(row["clave"])
            report.added[label] += 1
