"""Monthly report operations: the draft, its fields and wording, approval freezing, reopening.

``november()`` builds a small month the other report tests reuse: tickets of three requester
types in three states (one resolved, one cancelled, one of December), a PREP drill and a
training session.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.factories import make_ticket, make_user, org, process, state, system
from tickets.accounts.models import Role
from tickets.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.helpdesk import services as helpdesk
from tickets.helpdesk.models import Status, Ticket
from tickets.prep import services as prep
from tickets.reports import services
from tickets.reports.build import build_report_data
from tickets.reports.models import MonthlyReport, ReportDocument, ReportStatus
from tickets.reports.services import ReportFields
from tickets.training import services as training
from tickets.training.models import Modality

AFTER_NOVEMBER = datetime(2021, 12, 1, 15, 0, tzinfo=UTC)  # 1 Dec, 09:00 in Mexico City
HYPERLINK = '=HYPERLINK("http://malo.example","clic")'


def november() -> dict:
    """A small November 2021; returns plain values (folios, ids) for view tests."""
    supervisor = make_user(Role.SUPERVISOR, name="Adriana Solís")
    operator = make_user(Role.OPERATOR)
    at = parse_local
    guerrero = _ticket(operator, "2021-11-14T09:30:00", subject=HYPERLINK)
    _ticket(operator, "2021-11-14T11:00:00", organization=org("OPL-15"))
    _ticket(operator, "2021-11-30T23:30:00", organization=org("PP-PAN-12"))  # Mexico City
    cancelled = _ticket(operator, "2021-11-20T10:00:00")
    _ticket(operator, "2021-12-01T00:30:00")  # December in Mexico City, November in UTC
    _resolve(operator, guerrero, at("2021-11-15T10:00:00"))
    helpdesk.transition(operator, cancelled, Status.CANCELLED, now=at("2021-11-21T10:00:00"))
    prep.record_event(
        supervisor,
        prep.PrepEventData(
            process_id=process("EXT-2021").id,
            state_id=state("12").id,
            kind="drill",
            held_on="21/11/2021",
            followed_by="Vocalía del RFE de la Junta Local en Guerrero",
        ),
        now=at("2021-11-22T10:00:00"),
    )
    training.record_session(
        supervisor,
        training.SessionData(
            held_on=date(2021, 11, 25),
            state_id=state("12").id,
            topic="SIJE",
            modality=Modality.REMOTE,
            people_trained=17,
            system_id=system("SIJE").id,
        ),
        now=at("2021-11-26T10:00:00"),
    )
    return {
        "supervisor_id": supervisor.id,
        "operator_id": operator.id,
        "guerrero_folio": guerrero.folio,
    }


def _ticket(actor, received: str, **overrides) -> Ticket:
    """A ticket logged the moment it was received (local Mexico City time)."""
    when = parse_local(received)
    return make_ticket(actor, now=when, received_at=when, **overrides)


def _resolve(actor, ticket, when) -> None:
    helpdesk.assign(actor, ticket, actor, now=when)
    helpdesk.transition(actor, ticket, Status.IN_PROGRESS, now=when)
    helpdesk.transition(actor, ticket, Status.RESOLVED, now=when)


def edit_a_ticket_of_the_month(folio: str) -> None:
    """An operator reprioritises a November ticket in January 2022 (after the approval)."""
    from tickets.helpdesk.models import Priority

    ticket = db.session.scalar(sa.select(Ticket).where(Ticket.folio == folio))
    ticket.priority = Priority.LOW
    ticket.updated_at = parse_local("2022-01-10T10:00:00")
    db.session.commit()


def approved_november(supervisor) -> MonthlyReport:
    report = services.get_or_create_draft("2021-11", actor=supervisor)
    return services.approve(supervisor, report, AFTER_NOVEMBER)


def _documents(report: MonthlyReport) -> dict[str, bytes]:
    docs = db.session.scalars(report.documents.select()).all()
    return {doc.format: doc.content for doc in docs}


# --- the draft --------------------------------------------------------------------------------


def test_the_first_draft_of_a_month_is_version_1_and_is_reused(supervisor):
    first = services.get_or_create_draft("2021-11", actor=supervisor)
    again = services.get_or_create_draft("2021-11")

    assert (first.month, first.version, first.status) == ("2021-11", 1, ReportStatus.DRAFT)
    assert again.id == first.id
    assert first.cip_project == "F091910 Apoyo a procesos electorales en materia de TIC"


@pytest.mark.parametrize("month", ["2021-13", "2021-00", "abc", "2021-1", "21-11", ""])
def test_a_month_that_does_not_exist_is_not_found(supervisor, month):
    with pytest.raises(NotFound):
        services.get_or_create_draft(month, actor=supervisor)


def test_an_operator_cannot_start_a_draft(operator):
    with pytest.raises(NotAllowed):
        services.get_or_create_draft("2021-11", actor=operator)

    assert db.session.scalar(sa.select(sa.func.count(MonthlyReport.id))) == 0


def test_free_fields_and_adjusted_wording_are_saved_and_shown_in_the_report(supervisor):
    november()
    report = services.get_or_create_draft("2021-11", actor=supervisor)
    key = next(iter(services.generated_texts("2021-11")))

    services.update_fields(
        supervisor,
        report,
        ReportFields(visit_date="3 de noviembre", observations="Sin novedad.\r\nSegunda línea."),
        {key: "  Párrafo redactado por la supervisora.  "},
        expected_version=report.version_id,
    )

    data = build_report_data("2021-11", report)
    assert data["header"]["visit_date"] == "3 de noviembre"
    assert data["observations"] == "Sin novedad.\nSegunda línea."
    assert data["narrative"][0] == {
        "key": key,
        "kind": "paragraph",
        "text": "Párrafo redactado por la supervisora.",
    }


def test_wording_left_blank_or_equal_to_the_generated_text_is_no_adjustment(supervisor):
    november()
    generated = services.generated_texts("2021-11")
    first, second = list(generated)[:2]
    report = services.get_or_create_draft("2021-11", actor=supervisor)

    services.update_fields(
        supervisor, report, ReportFields(), {first: "   ", second: generated[second] + "\r\n"}
    )

    assert report.wording_overrides == {}


def test_a_stale_page_cannot_overwrite_a_newer_save(supervisor):
    report = services.get_or_create_draft("2021-11", actor=supervisor)
    seen = report.version_id
    services.update_fields(supervisor, report, ReportFields(junta="Local"), {}, seen)

    with pytest.raises(Conflict):
        services.update_fields(supervisor, report, ReportFields(junta="Distrital"), {}, seen)

    db.session.expire_all()
    assert report.junta == "Local"


def test_too_long_a_field_is_refused_and_nothing_is_written(supervisor):
    report = services.get_or_create_draft("2021-11", actor=supervisor)

    with pytest.raises(ValidationFailed) as refused:
        services.update_fields(supervisor, report, ReportFields(junta="J" * 201), {})

    assert refused.value.fields == {"junta": "Escriba como máximo 200 caracteres."}
    db.session.expire_all()
    assert report.junta == ""


def test_an_operator_cannot_edit_the_report(supervisor, operator):
    report = services.get_or_create_draft("2021-11", actor=supervisor)

    with pytest.raises(NotAllowed):
        services.update_fields(operator, report, ReportFields(junta="Local"), {})


def test_saving_the_first_draft_of_a_month_seen_without_report_creates_it(supervisor):
    report = services.save_draft(supervisor, "2021-11", ReportFields(junta="Local"), {}, 0)

    assert (report.version, report.junta) == (1, "Local")


def test_a_page_that_saw_no_report_conflicts_with_a_draft_created_meanwhile(supervisor):
    services.get_or_create_draft("2021-11", actor=supervisor)

    with pytest.raises(Conflict):
        services.save_draft(supervisor, "2021-11", ReportFields(junta="Local"), {}, 0)


# --- approval ---------------------------------------------------------------------------------


def test_approval_freezes_the_data_and_the_three_documents(supervisor):
    november()
    report = services.get_or_create_draft("2021-11", actor=supervisor)
    services.update_fields(supervisor, report, ReportFields(observations="Aprobado."), {})

    services.approve(supervisor, report, AFTER_NOVEMBER)

    assert report.status is ReportStatus.APPROVED
    assert (report.approved_by, report.approved_at) == (supervisor, AFTER_NOVEMBER)
    assert report.snapshot == build_report_data("2021-11", report)
    assert report.snapshot["totals"]["tickets"] == 3
    assert set(_documents(report)) == {"docx", "xlsx", "csv"}
    names = db.session.scalars(sa.select(ReportDocument.filename).order_by(ReportDocument.format))
    assert list(names) == [
        "informe-mensual-2021-11-v1.csv",
        "informe-mensual-2021-11-v1.docx",
        "informe-mensual-2021-11-v1.xlsx",
    ]


def test_later_edits_to_tickets_never_change_the_approved_snapshot_or_documents(supervisor):
    facts = november()
    report = approved_november(supervisor)
    frozen, files = report.snapshot, _documents(report)
    assert services.is_data_modified(report) is False

    edit_a_ticket_of_the_month(facts["guerrero_folio"])
    _ticket(None, "2021-11-29T10:00:00")

    db.session.expire_all()
    assert report.snapshot == frozen
    assert _documents(report) == files
    assert build_report_data("2021-11", report)["totals"]["tickets"] == 4
    assert services.is_data_modified(report) is True


@pytest.mark.parametrize("change", ["prep", "training", "december_ticket"])
def test_the_modified_warning_follows_prep_and_training_but_not_other_months(supervisor, change):
    november()
    report = approved_november(supervisor)

    if change == "prep":
        prep.record_event(
            supervisor,
            prep.PrepEventData(
                process_id=process("EXT-2021").id,
                state_id=state("29").id,
                kind="drill",
                held_on="21/11/2021",
                followed_by="Junta Local en Tlaxcala",
            ),
        )
    elif change == "training":
        training.record_session(
            supervisor,
            training.SessionData(
                held_on=date(2021, 11, 3),
                state_id=state("15").id,
                topic="Cómputos",
                modality=Modality.IN_PERSON,
                people_trained=4,
            ),
        )
    else:
        _ticket(None, "2021-12-02T10:00:00")

    assert services.is_data_modified(report) is (change != "december_ticket")


def test_a_month_that_has_not_ended_cannot_be_approved(supervisor):
    report = services.get_or_create_draft("2021-11", actor=supervisor)

    with pytest.raises(ValidationFailed):
        services.approve(supervisor, report, parse_local("2021-11-30T23:59:00"))

    assert report.status is ReportStatus.DRAFT


def test_an_approved_version_is_neither_edited_nor_approved_again(supervisor):
    report = approved_november(supervisor)

    with pytest.raises(Conflict):
        services.update_fields(supervisor, report, ReportFields(junta="Otra"), {})
    with pytest.raises(Conflict):
        services.approve(supervisor, report, AFTER_NOVEMBER)


def test_an_operator_cannot_approve(supervisor, operator):
    report = services.get_or_create_draft("2021-11", actor=supervisor)

    with pytest.raises(NotAllowed):
        services.approve(operator, report, AFTER_NOVEMBER)

    assert report.status is ReportStatus.DRAFT


def test_approving_a_month_without_report_creates_and_approves_version_1(supervisor):
    report = services.approve_month(supervisor, "2021-11", 0, now=AFTER_NOVEMBER)

    assert (report.version, report.status) == (1, ReportStatus.APPROVED)


def test_a_refused_approval_leaves_no_draft_behind(supervisor):
    too_early = parse_local("2021-11-15T10:00:00")

    with pytest.raises(ValidationFailed):
        services.approve_month(supervisor, "2021-11", 0, now=too_early)

    assert db.session.scalar(sa.select(sa.func.count(MonthlyReport.id))) == 0


# --- reopening --------------------------------------------------------------------------------


def test_reopening_creates_version_2_and_keeps_version_1_with_its_documents(supervisor):
    november()
    first = services.get_or_create_draft("2021-11", actor=supervisor)
    key = next(iter(services.generated_texts("2021-11")))
    services.update_fields(supervisor, first, ReportFields(junta="Local"), {key: "Ajuste."})
    services.approve(supervisor, first, AFTER_NOVEMBER)
    files = _documents(first)

    second = services.reopen(supervisor, first, expected_version=first.version_id)

    assert (first.status, second.status) == (ReportStatus.SUPERSEDED, ReportStatus.DRAFT)
    assert (second.version, second.junta, second.wording_overrides) == (
        2,
        "Local",
        {key: "Ajuste."},
    )
    assert second.snapshot is None
    assert services.current_version("2021-11") == second
    assert _documents(first) == files
    assert [v.version for v in services.versions("2021-11")] == [2, 1]


def test_only_an_approved_version_is_reopened(supervisor):
    draft = services.get_or_create_draft("2021-11", actor=supervisor)

    with pytest.raises(Conflict):
        services.reopen(supervisor, draft)


def test_an_operator_cannot_reopen(supervisor, operator):
    report = approved_november(supervisor)

    with pytest.raises(NotAllowed):
        services.reopen(operator, report)

    assert report.status is ReportStatus.APPROVED


# --- the ticket list of the exports -----------------------------------------------------------


def test_the_ticket_list_is_the_months_in_mexico_city_time_oldest_first(supervisor):
    november()

    rows = list(services.ticket_rows(supervisor, "2021-11"))

    assert [r.received_at for r in rows] == [
        datetime(2021, 11, 14, 9, 30),
        datetime(2021, 11, 14, 11, 0),
        datetime(2021, 11, 20, 10, 0),
        datetime(2021, 11, 30, 23, 30),
    ]
    assert [r.status for r in rows] == ["Resuelto", "Nuevo", "Cancelado", "Nuevo"]
    assert rows[0].state == "Guerrero"
    assert rows[0].district == "05 Tlapa"
    assert rows[0].process == "EXT-2021"


def test_the_ticket_list_starts_from_what_the_actor_may_see(supervisor):
    november()
    requester = make_user(Role.REQUESTER, organization=org("OPL-15"))

    rows = list(services.ticket_rows(requester, "2021-11"))

    assert [r.organization for r in rows] == [org("OPL-15").name]
