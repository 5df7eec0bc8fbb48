"""Copies of the SQLite database: the nightly job, `flask backup`, and a checked restore.

SQLite's online backup API copies a consistent snapshot while the web keeps writing (WAL); a
plain file copy of a live database can be torn. Each copy is written under a temporary name,
checked with ``PRAGMA integrity_check`` and only then renamed, so a file named
``mesatic-YYYYmmdd-HHMM.db`` is always whole. On PostgreSQL none of this applies: pg_dump does it
(docs/deploy/backup-postgres.sh), and the job says so instead of failing.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from babel.numbers import format_decimal
from flask import current_app

from tickets.core.errors import DomainError
from tickets.core.timeutil import MX_TZ, to_mx
from tickets.extensions import db

NAME_PATTERN = re.compile(r"^mesatic-(\d{8}-\d{4})\.db$")
DEFAULT_KEEP = 14
NOT_SQLITE = (
    "No aplica: la base de datos es PostgreSQL; use pg_dump (docs/deploy/backup-postgres.sh)."
)


class BackupRefused(DomainError):
    """A copy that cannot be made, or a file that must not replace the database."""

    code, status = "backup_refused", 422


@dataclass(frozen=True)
class BackupFile:
    """One rotated copy in the backup folder; ``taken_at`` is the Mexico City time in its name."""

    path: Path
    size: int
    taken_at: datetime


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did: the copy's schema revision, its tickets, where the old file went."""

    revision: str
    is_head: bool  # False: run `flask db upgrade` before starting the web
    tickets: int
    safety_copy: Path | None


# --- where things are ---------------------------------------------------------------------------


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def database_file() -> Path | None:
    """The app's SQLite file; None for PostgreSQL or an in-memory database (tests)."""
    name = db.engine.url.database
    if not is_sqlite() or name in (None, "", ":memory:"):
        return None
    return Path(name)


def backup_dir() -> Path:
    configured = current_app.config.get("BACKUP_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "backups"


def keep_count() -> int:
    """BACKUP_KEEP, never less than one: rotation must not delete the copy it just made."""
    return max(1, int(current_app.config.get("BACKUP_KEEP") or DEFAULT_KEEP))


def list_backups() -> list[BackupFile]:
    """The rotated copies, newest first (the time in the name sorts as text)."""
    folder = backup_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = NAME_PATTERN.match(path.name)
        if match and path.is_file():
            taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M").replace(tzinfo=MX_TZ)
            found.append(BackupFile(path, path.stat().st_size, taken))
    return sorted(found, key=lambda backup: backup.path.name, reverse=True)


def resolve_backup(name: str | Path) -> Path:
    """A path as given, or a bare file name looked up in the backup folder."""
    path = Path(name)
    if not path.exists() and path.name == str(name):
        candidate = backup_dir() / path.name
        if candidate.exists():
            return candidate
    return path


def human_size(size: int) -> str:
    """'832 KB', '1.2 MB' (es-MX writes a decimal point)."""
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB", "TB"):  # noqa: B007 - the last unit tried is the one used
        if value < 1024 or unit == "TB":
            break
        value /= 1024
    digits = 0 if unit in ("B", "KB") else 1
    return f"{format_decimal(round(value, digits), locale='es_MX')} {unit}"


# --- making copies ------------------------------------------------------------------------------


def nightly_backup(now: datetime) -> str:
    """The "backup" job: a verified, rotated copy; on PostgreSQL a note that pg_dump does it."""
    if not is_sqlite():
        return NOT_SQLITE
    path = backup_sqlite(now)
    kept = len(list_backups())
    return (
        f"Copia {path} ({human_size(path.stat().st_size)}), verificada. "
        f"Copias conservadas: {kept} (máximo {keep_count()})."
    )


def backup_sqlite(now: datetime) -> Path:
    """Copy the app's SQLite database to BACKUP_DIR/mesatic-YYYYmmdd-HHMM.db and rotate.

    The name carries the Mexico City time of ``now``; a second copy in the same minute replaces
    the first. The source is the app's own engine, so an in-memory test database works too.
    """
    if not is_sqlite():
        raise BackupRefused(NOT_SQLITE)
    folder = backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"mesatic-{to_mx(now):%Y%m%d-%H%M}.db"
    with db.engine.connect() as connection:
        _copy_verified(connection.connection.driver_connection, final)
    rotate(keep_count())
    return final


def rotate(keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` copies; returns what it deleted.

    Only names of the form mesatic-YYYYmmdd-HHMM.db count: the safety copies a restore leaves
    (antes-de-restaurar-…) and files an operator put there stay until someone removes them.
    """
    doomed = [backup.path for backup in list_backups()[keep:]]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def _copy_verified(source: sqlite3.Connection, final: Path) -> None:
    """Backup API into a hidden temporary file, integrity check, fsync, then one rename."""
    temp = final.with_name(f".{final.name}.tmp")
    temp.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(temp)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside
            problems = _integrity_problems(copy)
        if problems:
            raise BackupRefused(f"La copia no pasó la verificación de integridad: {problems}")
        _fsync(temp)
        os.replace(temp, final)
        _fsync(final.parent)
    finally:
        temp.unlink(missing_ok=True)


def _integrity_problems(connection: sqlite3.Connection) -> str:
    """'' when PRAGMA integrity_check says ok; else its first lines."""
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchmany(5)]
    return "" if rows == ["ok"] else "; ".join(rows)


def _fsync(path: Path) -> None:
    """Flush a file or a directory entry to disk, so a crash after the rename keeps the copy."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- restoring ----------------------------------------------------------------------------------


def inspect_backup(file: Path) -> str:
    """The schema revision of a readable, whole Mesa TIC copy; BackupRefused for anything else.

    Reads the file only (read-only URI), so a refused file and the database are left as they were.
    """
    if not file.is_file():
        raise BackupRefused(f"No existe el archivo «{file}»; no se restauró nada.")
    try:
        with closing(_open_read_only(file)) as connection:
            problems = _integrity_problems(connection)
            revision = _revision(connection) if not problems else None
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(
            f"«{file.name}» no es una base de datos SQLite legible ({exc}); no se restauró nada."
        ) from exc
    if problems:
        raise BackupRefused(f"«{file.name}» está dañada ({problems}); no se restauró nada.")
    if revision is None:
        raise BackupRefused(
            f"«{file.name}» no es una copia de Mesa TIC: no tiene versión de esquema "
            "(tabla alembic_version); no se restauró nada."
        )
    if revision not in known_revisions():
        raise BackupRefused(
            f"«{file.name}» tiene la versión de esquema «{revision}», que esta instalación de "
            "Mesa TIC no conoce (¿es de otra aplicación o de una versión más nueva?); "
            "no se restauró nada."
        )
    return revision


def restore_sqlite(file: Path, target: Path, *, now: datetime) -> RestoreReport:
    """Replace the database at ``target`` with the copy ``file`` once it is checked.

    The web and the scheduler must be stopped (the CLI asks for --yes and looks at the leases).
    What ``target`` held is first copied to BACKUP_DIR/antes-de-restaurar-….db. The copy goes
    in through the backup API in one transaction, so a crash half-way leaves the old database,
    and the target's own WAL stays consistent (a renamed file would meet a stale -wal).
    """
    revision = inspect_backup(file)
    if target.exists() and file.resolve() == target.resolve():
        raise BackupRefused("La copia y la base de datos son el mismo archivo; no se hizo nada.")
    safety = _safety_copy(target, now)
    with closing(_open_read_only(file)) as source:
        _write_over(source, target)
    with closing(sqlite3.connect(target)) as restored:
        problems = _integrity_problems(restored)
        tickets = restored.execute("SELECT count(*) FROM tickets").fetchone()[0]
    if problems:  # pragma: no cover - the source passed the same check a moment ago
        raise BackupRefused(f"La base restaurada no pasó la verificación: {problems}")
    return RestoreReport(revision, revision in head_revisions(), tickets, safety)


def _open_read_only(file: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)


def _revision(connection: sqlite3.Connection) -> str | None:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if "alembic_version" not in tables:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row and row[0] else None


def _safety_copy(target: Path, now: datetime) -> Path | None:
    """Keep what is about to be replaced; a target that is not a readable database is copied
    byte for byte (that may be exactly why someone is restoring)."""
    if not target.exists() or target.stat().st_size == 0:
        return None
    folder = backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    safety = folder / f"antes-de-restaurar-{to_mx(now):%Y%m%d-%H%M%S}.db"
    try:
        with closing(sqlite3.connect(target)) as current:
            _copy_verified(current, safety)
    except (sqlite3.DatabaseError, BackupRefused):
        shutil.copyfile(target, safety)
    return safety


def _write_over(source: sqlite3.Connection, target: Path) -> None:
    try:
        with closing(sqlite3.connect(target, timeout=30)) as destination:
            source.backup(destination)
    except sqlite3.DatabaseError:
        # Not a database we can write into (damaged, or another page size in WAL mode): start
        # from an empty file. Its content is already in the safety copy.
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        with closing(sqlite3.connect(target)) as destination:
            source.backup(destination)


def known_revisions() -> set[str]:
    return {script.revision for script in _script_directory().walk_revisions()}


def head_revisions() -> set[str]:
    return set(_script_directory().get_heads())


def _script_directory():
    from alembic.script import ScriptDirectory

    from tickets import ROOT

    return ScriptDirectory(str(ROOT / "migrations"))
