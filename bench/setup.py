"""The benchmark app, a fresh database, catalogs, candidacies and the desk's staff."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

BENCH_SECRET = "bench-only-not-secret"
BENCH_PASSWORD = "banco-de-pruebas-2022"
BENCH_LOGIN = "operador01@bench.mesatic.local"
STAFF_DOMAIN = "bench.mesatic.local"


def normalise_url(url: str) -> str:
    """postgres:// becomes postgresql+psycopg:// (as config.py does); a relative SQLite path
    becomes absolute (Flask-SQLAlchemy would otherwise put it under instance/)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return parsed.set(database=str(Path(parsed.database).resolve())).render_as_string()
    return url


def create_bench_app(url: str):
    """The real app with production settings on the benchmark database."""
    from config import ProductionConfig
    from tickets import create_app

    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=BENCH_SECRET)


def build_schema(migrations: Path) -> str:
    """Run the real migrations (flask db upgrade) on the benchmark database."""
    from flask_migrate import upgrade

    upgrade(directory=str(migrations))
    return "migrations (flask db upgrade)"


def ensure_fresh(url: str) -> None:
    """Delete the SQLite file, or drop and create the PostgreSQL database (bench* only)."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    name = parsed.database or ""
    if not name.startswith("bench"):
        raise SystemExit(f"--fresh refuses to drop database {name!r}: its name must start 'bench'")
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


def seed_reference() -> None:
    """Catalogs through the real loader, two candidacies per state, thirty staff accounts."""
    from tickets.catalogs.loader import load_catalogs

    print(load_catalogs())
    _add_candidacies()
    _add_staff()


def _add_candidacies() -> None:
    """The catalog ships no independent candidacies; the benchmark needs some in every state."""
    from tickets.catalogs.models import District, Organization, RequesterType, State
    from tickets.extensions import db

    for state in db.session.scalars(sa.select(State).order_by(State.key)):
        districts = db.session.scalars(
            sa.select(District).where(District.state_id == state.id).order_by(District.number)
        ).all()
        for district in districts[:2]:
            db.session.add(
                Organization(
                    key=f"CI-{state.key}-{district.number:02d}",
                    kind=RequesterType.CANDIDACY,
                    name=(
                        f"Candidatura independiente a la diputación federal, distrito "
                        f"{district.number:02d} de {state.display_name} ({district.head_town})"
                    ),
                    acronym="CI",
                    state=state,
                    district=district,
                )
            )
    db.session.commit()


def _add_staff() -> None:
    """1 admin, 4 supervisors, 25 operators; all share BENCH_PASSWORD."""
    from bench.textdata import STAFF_NAMES
    from tickets.accounts.models import Role, User
    from tickets.accounts.services import hash_password
    from tickets.extensions import db

    password_hash = hash_password(BENCH_PASSWORD)
    roles = [Role.ADMIN] + [Role.SUPERVISOR] * 4 + [Role.OPERATOR] * 25
    counters: dict[Role, int] = {}
    local = {Role.ADMIN: "admin", Role.SUPERVISOR: "supervision", Role.OPERATOR: "operador"}
    for role, name in zip(roles, STAFF_NAMES, strict=True):
        counters[role] = counters.get(role, 0) + 1
        email = f"{local[role]}{counters[role]:02d}@{STAFF_DOMAIN}"
        db.session.add(User(email=email, name=name, role=role, password_hash=password_hash))
    db.session.commit()
