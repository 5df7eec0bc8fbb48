"""The 1st-of-the-month job: last month's draft, and one mail to each supervisor and admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.factories import make_user
from tickets.accounts.models import Role
from tickets.extensions import db
from tickets.jobs import leases
from tickets.jobs.models import JobRun
from tickets.jobs.scheduler import JOBS, catch_up
from tickets.notifications.models import OutboxMessage
from tickets.reports.models import MonthlyReport, ReportStatus

DECEMBER_1ST = "2021-12-01T07:00"


def _people(app) -> dict[str, str]:
    with app.app_context():
        return {
            "supervisor": make_user(Role.SUPERVISOR).email,
            "admin": make_user(Role.ADMIN).email,
            "operator": make_user(Role.OPERATOR).email,
            "disabled": make_user(Role.SUPERVISOR, is_enabled=False).email,
        }


def _reports(app) -> list[tuple[str, int, str]]:
    with app.app_context():
        query = sa.select(MonthlyReport.month, MonthlyReport.version, MonthlyReport.status)
        return [(m, v, str(s)) for m, v, s in db.session.execute(query.order_by(MonthlyReport.id))]


def _mails(app) -> list[OutboxMessage]:
    with app.app_context():
        mails = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.kind == "report_drafted")
        ).all()
        db.session.expunge_all()
        return sorted(mails, key=lambda m: m.to_address)


def test_on_the_first_the_job_drafts_last_month_and_tells_supervisors_and_admins(app, runner):
    people = _people(app)

    result = runner.invoke(args=["jobs", "run-once", "monthly-report", "--now", DECEMBER_1ST])

    assert result.exit_code == 0, result.output
    assert "Borrador de noviembre de 2021 (versión 1); avisos: 2." in result.output
    assert _reports(app) == [("2021-11", 1, "draft")]
    mails = _mails(app)
    assert sorted(m.to_address for m in mails) == sorted([people["supervisor"], people["admin"]])
    mail = mails[0]
    assert mail.subject == "Informe mensual: borrador de noviembre de 2021 listo para revisión"
    assert (
        "El borrador del informe de noviembre de 2021 está listo para revisión: "
        "http://127.0.0.1:5000/informes/2021-11"
    ) in mail.body_text
    assert 'href="http://127.0.0.1:5000/informes/2021-11"' in mail.body_html


def test_in_january_it_drafts_december_of_the_year_before(app, runner):
    _people(app)

    runner.invoke(args=["jobs", "run-once", "monthly-report", "--now", "2022-01-01T07:00"])

    assert _reports(app) == [("2021-12", 1, "draft")]


def test_a_draft_opened_earlier_is_reused_and_still_announced(app, runner):
    _people(app)
    with app.app_context():
        db.session.add(MonthlyReport(month="2021-11", observations="Notas de la supervisora"))
        db.session.commit()

    runner.invoke(args=["jobs", "run-once", "monthly-report", "--now", DECEMBER_1ST])

    assert _reports(app) == [("2021-11", 1, "draft")]
    assert len(_mails(app)) == 2


def test_an_already_approved_month_is_left_alone_and_nobody_is_told(app, runner):
    _people(app)
    with app.app_context():
        db.session.add(MonthlyReport(month="2021-11", status=ReportStatus.APPROVED))
        db.session.commit()

    result = runner.invoke(args=["jobs", "run-once", "monthly-report", "--now", DECEMBER_1ST])

    assert result.exit_code == 0
    assert "El informe de noviembre de 2021 ya está aprobado; no se avisó a nadie." in (
        result.output
    )
    assert _reports(app) == [("2021-11", 1, "approved")]
    assert _mails(app) == []


def test_the_same_first_of_the_month_never_announces_twice(app, runner):
    _people(app)
    runner.invoke(args=["jobs", "run-once", "monthly-report", "--now", DECEMBER_1ST])

    again = runner.invoke(args=["jobs", "run-once", "monthly-report", "--now", DECEMBER_1ST])

    assert again.exit_code == 1
    assert len(_mails(app)) == 2


def test_a_scheduler_started_after_the_first_drafts_the_missed_month_once(app):
    _people(app)
    next_morning = datetime(2021, 12, 2, 16, 0, tzinfo=UTC)  # 10:00 on the 2nd, Mexico City

    first = catch_up(app, JOBS, "programador-a", now=next_morning)
    with app.app_context():
        leases.release_all("programador-a")  # stopped cleanly, then started again
    restart = catch_up(app, JOBS, "programador-b", now=next_morning + timedelta(hours=1))

    assert first["monthly-report"].outcome == "ok"
    assert restart["monthly-report"].outcome == "done"
    assert _reports(app) == [("2021-11", 1, "draft")]
    assert len(_mails(app)) == 2
    with app.app_context():
        tick = db.session.scalar(sa.select(JobRun.tick).where(JobRun.job == "monthly-report"))
    assert tick == "2021-12-01T07:00:00-06:00"  # recorded as the missed 1st-of-month run


def test_a_start_long_after_the_first_does_not_draft_anything(app):
    _people(app)

    results = catch_up(app, JOBS, "programador-a", now=datetime(2021, 12, 10, tzinfo=UTC))

    assert "monthly-report" not in results  # (the nightly backup may catch up; not this)
    assert _reports(app) == []
