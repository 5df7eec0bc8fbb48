"""Report pages: who may do what, bad months, the edit form, approval, versions, downloads.

As everywhere in the view tests, data is built inside its own app context, requests run with
no context pushed, and results are read back in a fresh context.
"""

from __future__ import annotations

import io
import re
from html import unescape

import docx
import pytest
import sqlalchemy as sa

from tests.factories import make_user, org
from tests.reports.test_services import (
    AFTER_NOVEMBER,
    _ticket,
    edit_a_ticket_of_the_month,
    november,
)
from tickets.accounts.models import Role
from tickets.extensions import db
from tickets.reports import services
from tickets.reports.build import build_report_data
from tickets.reports.models import MonthlyReport, ReportDocument, ReportStatus

PAGES = [
    "/informes/",
    "/informes/2021-11",
    "/informes/2021-11/imprimir",
    "/informes/2021-11/descargar/docx",
    "/informes/2021-11/descargar/xlsx",
    "/informes/2021-11/descargar/csv",
    "/informes/2021-11/editar",
]
WRITES = ["/informes/2021-11/editar", "/informes/2021-11/aprobar", "/informes/2021-11/reabrir"]


@pytest.fixture
def people(app):
    with app.app_context():
        facts = november()
        facts["requester_id"] = make_user(Role.REQUESTER, organization=org("JD-12-05")).id
        facts["admin_id"] = make_user(Role.ADMIN).id
    return facts


def _report(app, version: int = 1) -> dict | None:
    with app.app_context():
        report = db.session.scalar(
            sa.select(MonthlyReport).where(
                MonthlyReport.month == "2021-11", MonthlyReport.version == version
            )
        )
        if report is None:
            return None
        docs = db.session.scalars(report.documents.select()).all()
        return {
            "status": report.status,
            "version_id": report.version_id,
            "observations": report.observations,
            "junta": report.junta,
            "overrides": report.wording_overrides,
            "snapshot": report.snapshot,
            "documents": {d.format: d.content for d in docs},
        }


def _approve_in_the_past(app, supervisor_id: int) -> None:
    """Approve November as the supervisor on 1 December 2021 (the service takes ``now``)."""
    with app.app_context():
        supervisor = db.session.get(services.User, supervisor_id)
        report = services.get_or_create_draft("2021-11", actor=supervisor)
        services.approve(supervisor, report, AFTER_NOVEMBER)


def _text(html: bytes) -> str:
    """The page's visible text, tags dropped and blanks squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html.decode())))


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("method", "url"), [("GET", u) for u in PAGES] + [("POST", u) for u in WRITES]
)
def test_requesters_never_see_the_report(app, client_as, people, method, url):
    response = client_as(people["requester_id"]).open(url, method=method, data={"version": "0"})

    assert response.status_code == 403
    assert _report(app) is None


@pytest.mark.parametrize("url", PAGES[:-1])
def test_operators_read_and_download_the_report(client_as, people, url):
    response = client_as(people["operator_id"]).get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("url", WRITES)
def test_operators_cannot_edit_approve_or_reopen(app, client_as, people, url):
    data = {"version": "0", "cip_project": "F091910", "observations": "Escrito por operación"}

    response = client_as(people["operator_id"]).post(url, data=data)

    assert response.status_code == 403
    assert _report(app) is None


def test_operators_see_no_edit_or_approve_buttons(client_as, people):
    html = client_as(people["operator_id"]).get("/informes/2021-11").data.decode()

    assert "/informes/2021-11/editar" not in html
    assert "/informes/2021-11/aprobar" not in html


def test_an_admin_approves_like_a_supervisor(app, client_as, people):
    response = client_as(people["admin_id"]).post(
        "/informes/2021-11/aprobar", data={"version": "0"}
    )

    assert response.headers["Location"].endswith("/informes/2021-11")
    assert _report(app)["status"] is ReportStatus.APPROVED


# --- bad addresses ----------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["2021-13", "2021-00", "abc", "2021-1", "1899-12", "2021-11x"])
def test_a_month_that_does_not_exist_is_a_spanish_404(client_as, people, month):
    response = client_as(people["supervisor_id"]).get(f"/informes/{month}")

    assert response.status_code == 404
    assert "No existe ese mes. Escríbalo como AAAA-MM" in response.data.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/informes/2021-13/descargar/docx",
        "/informes/2021-11/descargar/pdf",
        "/informes/2021-11?version=7",
        "/informes/2021-11/descargar/docx?version=7",
        "/informes/2021-11?version=99999999999999999999",
        "/informes/2021-11?version=-1",
        "/informes/2021-13/editar",
    ],
)
def test_unknown_formats_versions_and_months_are_404(client_as, people, url):
    assert client_as(people["supervisor_id"]).get(url).status_code == 404


def test_posting_to_a_month_that_does_not_exist_is_404(client_as, people):
    response = client_as(people["supervisor_id"]).post("/informes/2021-13/aprobar", data={})

    assert response.status_code == 404


# --- the page ---------------------------------------------------------------------------------


def test_the_page_follows_the_forms_structure_then_tables_and_charts(app, client_as, people):
    with app.app_context():
        data = build_report_data("2021-11")

    response = client_as(people["operator_id"]).get("/informes/2021-11")

    html = response.data.decode()
    text = _text(response.data)
    assert data["title"] in text
    assert (
        "Dirección Ejecutiva o Unidad Técnica: Unidad Técnica de Servicios de Informática" in text
    )
    assert "Con qué proyecto de la CIP se relaciona" in text
    assert "F091910 Apoyo a procesos electorales en materia de TIC" in text
    for item in data["narrative"]:
        assert item["text"] in text
    assert "Total de personal capacitado: 17" in text
    for caption in ("Por entidad federativa", "Por tipo de solicitante", "Por sistema informático"):
        assert caption in text
    assert html.count("<svg") >= 1 + len(data["totals"]["by_state"])
    assert "Tickets recibidos por día" in text
    assert ' style="' not in html and "<script>" not in html.split("</main>")[0]


def test_text_a_supervisor_typed_is_escaped_on_the_page_and_in_the_print_view(
    app, client_as, people
):
    typed = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client = client_as(people["supervisor_id"])
    client.post(
        "/informes/2021-11/editar",
        data={"version": "0", "cip_project": "F091910", "junta": typed, "observations": typed},
    )

    for url in ("/informes/2021-11", "/informes/2021-11/imprimir"):
        html = client.get(url).data.decode()
        assert typed not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_the_print_view_is_the_report_alone_with_the_print_stylesheet(client_as, people):
    response = client_as(people["operator_id"]).get("/informes/2021-11/imprimir")

    html = response.data.decode()
    assert "css/print.css" in html
    assert "navbar" not in html and "bootstrap" not in html
    assert "Asuntos relevantes tratados o a tratar en las visitas realizadas." in html


def test_the_month_picker_opens_the_month_and_refuses_a_bad_one(client_as, people):
    client = client_as(people["operator_id"])

    opened = client.get("/informes/?mes=2021-11")
    refused = client.get("/informes/?mes=noviembre")

    assert opened.headers["Location"].endswith("/informes/2021-11")
    assert refused.status_code == 422
    assert "Escriba el mes como AAAA-MM, por ejemplo 2021-11." in refused.data.decode()
    assert 'value="noviembre"' in refused.data.decode()


def test_the_list_shows_each_month_with_a_report_and_its_status(app, client_as, people):
    _approve_in_the_past(app, people["supervisor_id"])

    text = _text(client_as(people["operator_id"]).get("/informes/").data)

    assert "noviembre de 2021 1 Aprobado" in text
    assert "1 de diciembre de 2021, 09:00" in text


# --- editing ----------------------------------------------------------------------------------


def test_the_edit_form_shows_each_generated_paragraph_to_adjust(app, client_as, people):
    with app.app_context():
        generated = services.generated_texts("2021-11")

    html = client_as(people["supervisor_id"]).get("/informes/2021-11/editar").data.decode()

    for key, text in generated.items():
        assert f'value="{key}"' in html
        assert f"{text}</textarea>" in unescape(html)
    assert 'name="version" type="hidden" value="0"' in html


def test_saving_the_form_stores_the_fields_and_the_adjusted_wording(app, client_as, people):
    with app.app_context():
        generated = list(services.generated_texts("2021-11").items())
    (first_key, _first), (second_key, second_text) = generated[:2]
    form = {
        "version": "0",
        "cip_project": "F091910 Apoyo a procesos electorales en materia de TIC",
        "junta": "Junta Local Ejecutiva en Guerrero",
        "observations": "Sin incidentes mayores.",
        "paragraphs-0-key": first_key,
        "paragraphs-0-text": "Redacción propia de la supervisora.",
        "paragraphs-1-key": second_key,
        "paragraphs-1-text": second_text,
    }

    response = client_as(people["supervisor_id"]).post("/informes/2021-11/editar", data=form)

    assert response.headers["Location"].endswith("/informes/2021-11")
    saved = _report(app)
    assert (saved["junta"], saved["observations"]) == (form["junta"], form["observations"])
    assert saved["overrides"] == {first_key: "Redacción propia de la supervisora."}


def test_a_paragraph_left_blank_goes_back_to_the_generated_text(app, client_as, people):
    with app.app_context():
        key = next(iter(services.generated_texts("2021-11")))
    client = client_as(people["supervisor_id"])
    base = {"cip_project": "F091910", "paragraphs-0-key": key}
    client.post("/informes/2021-11/editar", data={**base, "version": "0", "paragraphs-0-text": "X"})

    version = _report(app)["version_id"]
    client.post(
        "/informes/2021-11/editar", data={**base, "version": version, "paragraphs-0-text": ""}
    )

    assert _report(app)["overrides"] == {}


def test_a_refused_form_is_shown_again_with_what_was_typed(app, client_as, people):
    form = {"version": "0", "cip_project": "F091910", "junta": "J" * 201, "observations": "Mías"}

    response = client_as(people["supervisor_id"]).post("/informes/2021-11/editar", data=form)

    html = response.data.decode()
    assert response.status_code == 422
    assert "Escriba como máximo 200 caracteres." in html
    assert "Mías</textarea>" in html
    assert _report(app) is None


def test_a_stale_form_is_refused_with_409_and_the_newer_save_is_kept(app, client_as, people):
    client = client_as(people["supervisor_id"])
    client.post("/informes/2021-11/editar", data={"version": "0", "cip_project": "F", "junta": "A"})

    response = client.post(
        "/informes/2021-11/editar", data={"version": "0", "cip_project": "F", "junta": "B"}
    )

    assert response.status_code == 409
    assert "Otra persona modificó este informe" in response.data.decode()
    assert _report(app)["junta"] == "A"


def test_an_approved_report_is_not_edited_until_reopened(app, client_as, people):
    _approve_in_the_past(app, people["supervisor_id"])

    response = client_as(people["supervisor_id"]).get("/informes/2021-11/editar")

    assert response.headers["Location"].endswith("/informes/2021-11")


# --- approval and versions --------------------------------------------------------------------


def test_approval_from_the_page_stores_the_documents_it_then_serves(app, client_as, people):
    client = client_as(people["supervisor_id"])

    response = client.post("/informes/2021-11/aprobar", data={"version": "0"})

    assert response.headers["Location"].endswith("/informes/2021-11")
    report = _report(app)
    assert report["status"] is ReportStatus.APPROVED
    for fmt in ("docx", "xlsx", "csv"):
        download = client.get(f"/informes/2021-11/descargar/{fmt}")
        assert download.data == report["documents"][fmt]
        assert f"informe-mensual-2021-11-v1.{fmt}" in download.headers["Content-Disposition"]


def test_after_approval_ticket_edits_leave_page_and_files_as_approved_with_a_warning(
    app, client_as, people
):
    _approve_in_the_past(app, people["supervisor_id"])
    client = client_as(people["operator_id"])
    before = client.get("/informes/2021-11").data
    docx_before = client.get("/informes/2021-11/descargar/docx").data
    assert "Datos modificados desde la aprobación" not in before.decode()

    with app.app_context():
        edit_a_ticket_of_the_month(people["guerrero_folio"])
        _ticket(None, "2021-11-29T10:00:00")

    after = client.get("/informes/2021-11").data.decode()
    assert "Datos modificados desde la aprobación" in after
    snapshot = _report(app)["snapshot"]
    assert snapshot["totals"]["tickets"] == 3
    for item in snapshot["narrative"]:
        assert item["text"] in _text(after.encode())
    assert '<dd class="fs-4">3</dd>' in after
    assert client.get("/informes/2021-11/descargar/docx").data == docx_before


def test_a_draft_downloads_the_live_data(app, client_as, people):
    client = client_as(people["operator_id"])

    response = client.get("/informes/2021-11/descargar/docx")

    assert "informe-mensual-2021-11-borrador.docx" in response.headers["Content-Disposition"]
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs]
    with app.app_context():
        _ticket(None, "2021-11-29T10:00:00")
        narrative = [item["text"] for item in build_report_data("2021-11")["narrative"]]
    again = client.get("/informes/2021-11/descargar/docx")
    assert [p.text for p in docx.Document(io.BytesIO(again.data)).paragraphs][2:-2] == narrative
    assert paragraphs[2:-2] != narrative


def test_reopening_makes_version_2_and_version_1_stays_downloadable(app, client_as, people):
    _approve_in_the_past(app, people["supervisor_id"])
    first = _report(app, 1)
    client = client_as(people["supervisor_id"])

    response = client.post("/informes/2021-11/reabrir", data={"version": first["version_id"]})

    assert response.headers["Location"].endswith("/informes/2021-11")
    assert _report(app, 1)["status"] is ReportStatus.SUPERSEDED
    assert _report(app, 2)["status"] is ReportStatus.DRAFT
    old = client.get("/informes/2021-11/descargar/docx?version=1")
    assert old.data == first["documents"]["docx"]
    page = client.get("/informes/2021-11?version=1").data.decode()
    assert "Está viendo la versión 1, sustituida por una versión posterior." in page
    assert "Versión 2 · Borrador" in client.get("/informes/2021-11").data.decode()


def test_a_stale_approve_button_is_refused_with_a_message(app, client_as, people):
    client = client_as(people["supervisor_id"])
    client.post("/informes/2021-11/editar", data={"version": "0", "cip_project": "F"})

    response = client.post(
        "/informes/2021-11/aprobar", data={"version": "0"}, follow_redirects=True
    )

    assert "Otra persona modificó este informe" in response.data.decode()
    assert _report(app)["status"] is ReportStatus.DRAFT


def test_reopening_a_draft_is_refused_with_a_message(app, client_as, people):
    client = client_as(people["supervisor_id"])
    client.post("/informes/2021-11/editar", data={"version": "0", "cip_project": "F"})
    version = _report(app)["version_id"]

    response = client.post(
        "/informes/2021-11/reabrir", data={"version": version}, follow_redirects=True
    )

    assert "Solo se reabre un informe aprobado." in response.data.decode()
    assert _report(app, 2) is None


# --- tried as a new user would, on the demo data ----------------------------------------------


def test_a_supervisor_opens_november_on_demo_data_edits_approves_and_downloads_the_docx(
    app, client_as
):
    """`flask demo load`, then: open November 2021, write the observaciones, approve, download
    the DOCX and open it; it is the approved JSON, paragraph by paragraph."""
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        supervisor_id = make_user(Role.SUPERVISOR).id
    client = client_as(supervisor_id)

    page = client.get("/informes/2021-11")
    assert page.status_code == 200
    form = client.get("/informes/2021-11/editar")
    assert form.status_code == 200
    fields = dict(
        re.findall(r'name="(paragraphs-\d+-key)"[^>]*value="([^"]*)"', form.data.decode())
    )
    data = {"version": "0", "cip_project": "F091910 Apoyo a procesos electorales en materia de TIC"}
    data.update(fields)
    data["observations"] = "Se atendieron las jornadas extraordinarias sin incidentes mayores."
    saved = client.post("/informes/2021-11/editar", data=data)
    assert saved.headers["Location"].endswith("/informes/2021-11")
    version = _report(app)["version_id"]
    approved = client.post("/informes/2021-11/aprobar", data={"version": version})
    assert approved.headers["Location"].endswith("/informes/2021-11")

    download = client.get("/informes/2021-11/descargar/docx")

    snapshot = _report(app)["snapshot"]
    paragraphs = [p.text for p in docx.Document(io.BytesIO(download.data)).paragraphs]
    assert paragraphs == [
        snapshot["title"],
        "Asuntos relevantes tratados o a tratar en las visitas realizadas.",
        *[item["text"] for item in snapshot["narrative"]],
        f"Total de personal capacitado: {snapshot['people_trained']}",
        f"Observaciones: {data['observations']}",
    ]
    assert snapshot["totals"]["tickets"] > 300
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ReportDocument.id))) == 3
