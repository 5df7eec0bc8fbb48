"""docs/deploy/backup-postgres.sh and restore-postgres.sh: a dump restores to the same rows."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_ticket, make_user
from tickets.accounts.models import Role
from tickets.extensions import db

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "docs" / "deploy"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="pg_dump/pg_restore are not on PATH",
    ),
]


@pytest.fixture
def restore_url():
    """An empty database next to the test one (named *_test), dropped afterwards."""
    url = make_url(TEST_DATABASE_URL)
    name = f"{url.database}_restaurada_test"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _run(script: str, *args: str, url: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPTS / script), *args],
        env={**os.environ, "DATABASE_URL": url, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            names = sa.inspect(connection).get_table_names()
            return {
                name: connection.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar()
                for name in names
            }
    finally:
        engine.dispose()


def _ticket(url: str, folio: str) -> tuple:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT * FROM tickets WHERE folio = :folio")
            return tuple(connection.execute(query, {"folio": folio}).one())
    finally:
        engine.dispose()


def test_a_dump_restores_to_a_database_with_the_same_rows(app, tmp_path, restore_url):
    with app.app_context():
        operator = make_user(Role.OPERATOR)
        folios = [make_ticket(operator).folio for _ in range(3)]
        db.session.remove()
    (tmp_path / "mesatic-20200101-0230.dump").write_bytes(b"vieja")  # rotated away (keep 2)
    (tmp_path / "mesatic-20200102-0230.dump").write_bytes(b"vieja")
    (tmp_path / "notas.txt").write_text("se queda", encoding="utf-8")

    dumped = _run("backup-postgres.sh", str(tmp_path), url=TEST_DATABASE_URL, BACKUP_KEEP="2")
    dump = Path(dumped.stdout.strip())
    refused = _run("restore-postgres.sh", str(dump), url=restore_url)
    restored = _run("restore-postgres.sh", str(dump), "--yes", url=restore_url)

    assert dumped.returncode == 0, dumped.stderr
    assert dump.parent == tmp_path and dump.name.startswith("mesatic-") and dump.suffix == ".dump"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "mesatic-20200102-0230.dump",
        dump.name,
        "notas.txt",
    ]
    assert refused.returncode == 2 and "repita con --yes" in refused.stderr
    assert restored.returncode == 0, restored.stderr
    counts = _counts(TEST_DATABASE_URL)
    assert counts["tickets"] == 3 and counts["states"] == 32
    assert _counts(restore_url) == counts
    assert _ticket(restore_url, folios[0]) == _ticket(TEST_DATABASE_URL, folios[0])


def test_restore_refuses_a_file_that_is_not_a_dump(tmp_path, restore_url):
    bad = tmp_path / "mesatic-20211115-0230.dump"
    bad.write_text("no es un respaldo", encoding="utf-8")

    result = _run("restore-postgres.sh", str(bad), "--yes", url=restore_url)

    assert result.returncode != 0
    assert _counts(restore_url) == {}  # nothing was created
