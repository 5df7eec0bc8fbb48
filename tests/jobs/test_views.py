"""The admins' page /admin/tareas/: jobs, schedules, holders and the latest runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.factories import make_user
from tickets.accounts.models import Role
from tickets.jobs import leases, runner

TICK = datetime(2021, 12, 1, 13, 0, tzinfo=UTC)  # 07:00 in Mexico City


def _user(app, role: Role) -> int:
    with app.app_context():
        return make_user(role).id


def _fails(now):
    raise RuntimeError("no se pudo abrir <script>alert(1)</script>")


def test_admin_sees_each_job_its_schedule_and_the_last_runs(app, client_as):
    admin_id = _user(app, Role.ADMIN)
    runner.run_job(app, "mail", lambda now: "Enviados: 3 · Fallidos: 0", TICK, TICK, holder="pc1")
    runner.run_job(app, "monthly-report", _fails, TICK, TICK, holder="pc2")

    page = client_as(admin_id).get("/admin/tareas/").get_data(as_text=True)

    assert "Tareas programadas" in page
    assert "Envío de correos" in page and "Borrador del informe mensual" in page
    assert "Cada minuto" in page and "El día 1 de cada mes a las 07:00" in page
    assert "Enviados: 3 · Fallidos: 0" in page and "Correcta" in page
    assert "Con error" in page and "Ver error" in page
    assert "01/12/2021 07:00" in page  # the tick, in Mexico City time
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_the_process_holding_a_job_is_shown(app, client_as):
    admin_id = _user(app, Role.ADMIN)
    with app.app_context():
        leases.acquire("mail", "programador@srv-1:4242:ab12cd", datetime.now(UTC), timedelta(1))

    page = client_as(admin_id).get("/admin/tareas/").get_data(as_text=True)

    assert "programador@srv-1:4242:ab12cd" in page


def test_one_jobs_history_alone(app, client_as):
    admin_id = _user(app, Role.ADMIN)
    runner.run_job(app, "mail", lambda now: "correo enviado", TICK, TICK, holder="pc1")
    runner.run_job(app, "prune-runs", lambda now: "nada que borrar", TICK, TICK, holder="pc1")

    page = client_as(admin_id).get("/admin/tareas/?tarea=mail").get_data(as_text=True)

    assert "Ejecuciones recientes: Envío de correos" in page
    assert "correo enviado" in page and "nada que borrar" not in page


def test_an_unknown_job_is_not_found(app, client_as):
    response = client_as(_user(app, Role.ADMIN)).get("/admin/tareas/?tarea=nada")

    assert response.status_code == 404
    assert "No encontramos lo que busca." in response.get_data(as_text=True)


def test_before_any_run_the_page_says_how_to_start_the_scheduler(app, client_as):
    page = client_as(_user(app, Role.ADMIN)).get("/admin/tareas/").get_data(as_text=True)

    assert "Aún no hay ejecuciones registradas" in page and "flask jobs run" in page


def test_only_admins_see_the_page(app, client, client_as):
    anonymous = client.get("/admin/tareas/")
    supervisor = client_as(_user(app, Role.SUPERVISOR)).get("/admin/tareas/")

    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert supervisor.status_code == 403
