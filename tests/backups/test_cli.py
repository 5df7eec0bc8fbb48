"""`flask backup create | list | restore`: what an operator types and reads."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.backups.conftest import sqlite_only
from tests.factories import make_ticket, make_user
from tickets.accounts.models import Role
from tickets.core.db import utcnow
from tickets.extensions import db
from tickets.helpdesk.models import Ticket
from tickets.jobs import leases

pytestmark = sqlite_only


def _tickets(app) -> int:
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Ticket))
        db.session.remove()
        return count


def _make_tickets(app, count: int) -> None:
    with app.app_context():
        operator = make_user(Role.OPERATOR)
        for _ in range(count):
            make_ticket(operator)
        db.session.remove()


def _create(app) -> str:
    """`flask backup create`; returns the file name it printed."""
    result = app.test_cli_runner().invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    assert "Copia creada y verificada:" in result.output and " KB)" in result.output
    return result.output.split("/")[-1].split(" ")[0]


def test_create_then_list_shows_the_copy_with_its_mexican_date(sqlite_app):
    name = _create(sqlite_app)

    listed = sqlite_app.test_cli_runner().invoke(args=["backup", "list"])

    assert listed.exit_code == 0, listed.output
    assert "(se conservan 14)" in listed.output
    assert name in listed.output and " de 20" in listed.output and " KB" in listed.output


def test_list_with_no_copies_says_so(sqlite_app):
    listed = sqlite_app.test_cli_runner().invoke(args=["backup", "list"])

    assert listed.exit_code == 0 and "No hay copias en" in listed.output


def test_restore_without_yes_explains_and_changes_nothing(sqlite_app):
    name = _create(sqlite_app)
    _make_tickets(sqlite_app, 2)

    result = sqlite_app.test_cli_runner().invoke(args=["backup", "restore", name])

    assert result.exit_code == 1
    assert "es una copia válida" in result.output and "repita con --yes" in result.output
    assert "Detenga antes la web (gunicorn) y el programador" in result.output
    assert _tickets(sqlite_app) == 2


def test_restore_with_yes_brings_the_database_back_to_the_copy(sqlite_app):
    _make_tickets(sqlite_app, 1)
    name = _create(sqlite_app)
    _make_tickets(sqlite_app, 2)  # written after the copy: the restore undoes them

    result = sqlite_app.test_cli_runner().invoke(args=["backup", "restore", name, "--yes"])

    assert result.exit_code == 0, result.output
    assert f"Restaurada «{name}»" in result.output and ": 1 tickets." in result.output
    assert "Lo que había quedó en" in result.output and "antes-de-restaurar-" in result.output
    assert "flask db upgrade" not in result.output  # the copy is at the code's schema
    assert _tickets(sqlite_app) == 1
    _make_tickets(sqlite_app, 1)  # and the app keeps writing to the restored file
    assert _tickets(sqlite_app) == 2


def test_restore_refuses_while_a_scheduler_holds_a_lease(sqlite_app):
    name = _create(sqlite_app)
    with sqlite_app.app_context():
        leases.acquire("mail", "programador@web1:123:abc", utcnow(), timedelta(minutes=2))
        db.session.remove()
    _make_tickets(sqlite_app, 1)

    refused = sqlite_app.test_cli_runner().invoke(args=["backup", "restore", name, "--yes"])
    forced = sqlite_app.test_cli_runner().invoke(
        args=["backup", "restore", name, "--yes", "--force"]
    )

    assert refused.exit_code == 1
    assert "Un programador de tareas está activo (programador@web1:123:abc tiene «mail»" in (
        refused.output
    )
    assert forced.exit_code == 0, forced.output
    assert _tickets(sqlite_app) == 0


def test_restore_of_a_file_that_is_not_a_copy_says_why_in_spanish(sqlite_app, tmp_path):
    _make_tickets(sqlite_app, 1)
    bad = tmp_path / "informe.db"
    bad.write_text("no es una base\n" * 50, encoding="utf-8")

    missing = sqlite_app.test_cli_runner().invoke(args=["backup", "restore", "nada.db", "--yes"])
    result = sqlite_app.test_cli_runner().invoke(args=["backup", "restore", str(bad), "--yes"])

    assert missing.exit_code == 1 and "No existe el archivo «nada.db»" in missing.output
    assert result.exit_code == 1
    assert "«informe.db» no es una base de datos SQLite legible" in result.output
    assert _tickets(sqlite_app) == 1
