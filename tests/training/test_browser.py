"""The training form in a real browser: the state's offices follow the state under the CSP."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.e2e.conftest import browser, live_app, page  # noqa: F401  (shared e2e fixtures)
from tests.factories import PASSWORD, make_user
from tickets.accounts.models import Role
from tickets.extensions import db
from tickets.training.models import Modality, TrainingSession

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def supervisor_email(live_app):  # noqa: F811
    with live_app.app_context():
        return make_user(Role.SUPERVISOR, email="capacitacion@ine.mx").email


def test_a_supervisor_logs_a_session_choosing_the_office_of_the_state(
    page,  # noqa: F811
    live_app,  # noqa: F811
    supervisor_email,
):
    problems: list[str] = []
    page.on(  # a script the CSP refused, or one that failed; a missing favicon is no problem
        "console", lambda m: problems.append(m.text) if "Security Policy" in m.text else None
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto("/login")
    page.fill("#email", supervisor_email)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tickets/"))

    page.goto("/capacitacion/nueva")
    assert not page.is_visible("text=Mostrar las oficinas de la entidad")  # the script took over
    page.select_option("#state_id", label="Jalisco")
    opl = "Instituto Electoral y de Participación Ciudadana del Estado de Jalisco"
    page.locator("#office_id option", has_text=opl).wait_for(state="attached")
    page.select_option("#office_id", label=opl)
    page.fill("#held_on", "2021-11-11")
    page.select_option("#modality", "remote")
    page.fill("#people_trained", "7")
    page.fill("#topic", "PREP: preparación del segundo simulacro")
    page.keyboard.press("Enter")  # Enter in a text box saves (the hidden default button)

    page.wait_for_url(re.compile(r"/capacitacion/\?month=2021-11"))
    total = page.inner_text("#total-mes")
    assert "Total de personal capacitado en noviembre de 2021: 7" in " ".join(total.split())
    assert problems == []
    with live_app.app_context():
        session = db.session.scalar(sa.select(TrainingSession))
        assert (session.office.key, session.modality, session.people_trained) == (
            "OPL-14",
            Modality.REMOTE,
            7,
        )
