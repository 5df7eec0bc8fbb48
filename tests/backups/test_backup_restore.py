"""A nightly copy of the SQLite database restores to the same rows; bad files are refused."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.backups.conftest import sqlite_only
from tests.factories import make_ticket, make_user
from tickets.accounts.models import Role
from tickets.backups import services
from tickets.extensions import db

pytestmark = sqlite_only

NIGHT = datetime(2021, 11, 15, 8, 30, tzinfo=UTC)  # 02:30 in Mexico City


def _counts(path: Path) -> dict[str, int]:
    """Rows of every table in a SQLite file (FTS tables included)."""
    with closing(sqlite3.connect(path)) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in names
        }


def _ticket_row(path: Path, folio: str) -> tuple:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT * FROM tickets WHERE folio = ?", (folio,)).fetchone()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _with_tickets(app, count: int = 3) -> list[str]:
    with app.app_context():
        operator = make_user(Role.OPERATOR)
        folios = [
            make_ticket(operator, subject=f"Falla del SIJE número {n}").folio for n in range(count)
        ]
        db.session.remove()
    return folios


def test_a_backup_restores_to_a_database_with_the_same_rows(sqlite_app, tmp_path):
    folios = _with_tickets(sqlite_app)
    source = Path(sqlite_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))

    with sqlite_app.app_context():
        copy = services.backup_sqlite(NIGHT)
        report = services.restore_sqlite(copy, tmp_path / "restaurada.db", now=NIGHT)

    assert copy.name == "mesatic-20211115-0230.db"  # Mexico City time in the name
    restored = tmp_path / "restaurada.db"
    counts = _counts(source)
    assert counts["tickets"] == 3 and counts["audit_events"] > 0 and counts["states"] == 32
    assert _counts(restored) == counts
    assert _ticket_row(restored, folios[1]) == _ticket_row(source, folios[1])
    assert (report.tickets, report.is_head, report.safety_copy) == (3, True, None)
    assert not list(copy.parent.glob(".*.tmp"))  # no temporary file left behind


def test_the_copy_is_one_self_contained_file_that_passes_the_integrity_check(sqlite_app):
    _with_tickets(sqlite_app, 1)

    with sqlite_app.app_context():
        copy = services.backup_sqlite(NIGHT)

    with closing(sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert not Path(f"{copy}-wal").exists()


def test_rotation_keeps_the_newest_copies_and_nothing_else_is_touched(sqlite_app):
    sqlite_app.config["BACKUP_KEEP"] = 3
    with sqlite_app.app_context():
        folder = services.backup_dir()
        folder.mkdir(parents=True)
        (folder / "notas.txt").write_text("no borrar", encoding="utf-8")
        (folder / "antes-de-restaurar-20211101-100000.db").write_bytes(b"x")
        made = [services.backup_sqlite(NIGHT + timedelta(days=day)) for day in range(5)]
        kept = [backup.path for backup in services.list_backups()]

    assert kept == made[:-4:-1]  # the newest three, newest first
    assert [path.name for path in kept] == [
        "mesatic-20211119-0230.db",
        "mesatic-20211118-0230.db",
        "mesatic-20211117-0230.db",
    ]
    assert (folder / "notas.txt").exists()
    assert (folder / "antes-de-restaurar-20211101-100000.db").exists()


def _foreign_database(path: Path, revision: str | None = None) -> Path:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE recetas (id INTEGER PRIMARY KEY, nombre TEXT)")
        if revision:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
            connection.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
        connection.commit()
    return path


def _text_file(path: Path) -> Path:
    path.write_text("Esto no es una base de datos.\n" * 100, encoding="utf-8")
    return path


def _half_copy(path: Path, good: Path) -> Path:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _damaged_pages(path: Path, good: Path) -> Path:
    data = bytearray(good.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)  # overwrite three b-tree pages
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("make_bad", "message"),
    [
        (lambda p, good: _text_file(p), "no es una base de datos SQLite legible"),
        (_half_copy, "no se restauró nada"),
        (_damaged_pages, "no se restauró nada"),
        (lambda p, good: _foreign_database(p), "no es una copia de Mesa TIC"),
        (lambda p, good: _foreign_database(p, "0123456789ab"), "no conoce"),
    ],
    ids=["texto", "copia-a-medias", "paginas-dañadas", "otra-base", "otra-aplicacion"],
)
def test_restore_refuses_a_corrupt_or_foreign_file_and_leaves_the_target_untouched(
    sqlite_app, tmp_path, make_bad, message
):
    _with_tickets(sqlite_app, 1)
    with sqlite_app.app_context():
        good = services.backup_sqlite(NIGHT)
    target = tmp_path / "destino.db"
    target.write_bytes(good.read_bytes())
    before = _digest(target)
    bad = make_bad(tmp_path / "sospechosa.db", good)

    with sqlite_app.app_context(), pytest.raises(services.BackupRefused) as refused:
        services.restore_sqlite(bad, target, now=NIGHT)

    assert message in refused.value.message
    assert "no se restauró nada" in refused.value.message
    assert _digest(target) == before
    with sqlite_app.app_context():
        assert not list(services.backup_dir().glob("antes-de-restaurar-*"))


def test_restoring_over_a_database_keeps_what_it_held_in_a_safety_copy(sqlite_app, tmp_path):
    _with_tickets(sqlite_app, 2)
    with sqlite_app.app_context():
        copy = services.backup_sqlite(NIGHT)
    target = tmp_path / "destino.db"
    with closing(sqlite3.connect(target)) as connection:
        connection.execute("CREATE TABLE vieja (x)")
        connection.execute("INSERT INTO vieja VALUES (1)")
        connection.commit()

    with sqlite_app.app_context():
        report = services.restore_sqlite(copy, target, now=NIGHT)

    assert report.safety_copy.name == "antes-de-restaurar-20211115-023000.db"
    assert _counts(report.safety_copy) == {"vieja": 1}
    assert _counts(target)["tickets"] == 2 and "vieja" not in _counts(target)
