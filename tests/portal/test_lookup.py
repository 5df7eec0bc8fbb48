"""The anonymous folio + access code lookup, its protections and the code re-issue.

Data is built in its own app context, requests run without one (STYLE.md 3.12), and results
are read back in a fresh context.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from limits import parse_many

from tests.portal.conftest import (
    INTERNAL_FILE,
    INTERNAL_NOTE,
    OPERATOR_EMAIL,
    PUBLIC_FILE,
    PUBLIC_REPLY,
    open_with_code,
)
from tickets.accounts.services import system_user
from tickets.extensions import db
from tickets.helpdesk.models import AuditEvent, Comment, Ticket
from tickets.notifications.models import OutboxMessage

MISMATCH = "El folio o el código de acceso no coinciden."
REISSUED = "Si los datos coinciden, enviamos un código nuevo al correo registrado."


def _unlock(client, folio: str, code: str):
    return client.post("/consulta", data={"folio": folio, "code": code})


def _page(resp) -> str:
    return resp.get_data(as_text=True)


def _folio_limit(app) -> int:
    return min(item.amount for item in parse_many(app.config["LOOKUP_FOLIO_RATE_LIMIT"]))


# --- unlocking ------------------------------------------------------------------------------


def test_right_code_unlocks_the_status_and_public_timeline(app, client, world):
    resp = _unlock(client, world.folio, world.code)
    assert resp.headers["Location"].endswith(f"/consulta/{world.folio}")

    resp = client.get(f"/consulta/{world.folio}")

    html = _page(resp)
    assert resp.headers["Cache-Control"] == "no-store"
    assert "En atención: una persona de la mesa trabaja en su solicitud." in html
    assert (
        "La mesa se compromete a resolver las solicitudes de prioridad alta en 8 horas hábiles "
        "(lunes a viernes de 9:00 a 18:00, sin días festivos)." in html
    )
    assert PUBLIC_REPLY in html
    assert PUBLIC_FILE in html
    assert "Mesa de ayuda · Ana" in html
    assert "cambió el estado a «En atención»" in html


def test_the_lookup_never_shows_internal_notes_or_operator_addresses(app, client, world):
    _unlock(client, world.folio, world.code)

    html = _page(client.get(f"/consulta/{world.folio}"))

    assert INTERNAL_NOTE not in html
    assert INTERNAL_FILE not in html
    assert OPERATOR_EMAIL not in html
    assert "López" not in html  # first name only
    assert "maria.hernandez@ine.mx" not in html  # nor the contact's e-mail


def test_public_files_download_only_within_the_unlocked_view(app, client, world):
    url = f"/consulta/{world.folio}/archivos/{world.public_file_id}"
    assert app.test_client().get(url).status_code == 404

    _unlock(client, world.folio, world.code)
    with client.get(url) as resp:
        assert resp.status_code == 200
        assert resp.data == b"%PDF-1.4 pasos"
        assert PUBLIC_FILE in resp.headers["Content-Disposition"]
    assert client.get(f"/consulta/{world.folio}/archivos/{world.internal_file_id}").status_code == (
        404
    )


def test_the_code_is_accepted_as_people_type_it(app, client, world):
    typed = world.code.lower().replace("-", " ")

    resp = _unlock(client, f"  {world.folio.lower()} ", typed)

    assert resp.headers["Location"].endswith(f"/consulta/{world.folio}")


def test_the_unlocked_view_is_404_without_unlocking_in_this_session(app, client, world):
    _unlock(client, world.folio, world.code)
    other_browser = app.test_client()

    assert other_browser.get(f"/consulta/{world.folio}").status_code == 404
    assert client.get(f"/consulta/{world.other_folio}").status_code == 404
    assert client.get("/consulta/TIC-2099-999999").status_code == 404


def test_a_wrong_folio_and_a_wrong_code_get_the_same_answer(app, client, world):
    wrong_code = _unlock(client, world.folio, "AAAA-BBBB-CCCC")
    wrong_folio = _unlock(app.test_client(), "TIC-2021-999999", world.code)

    assert wrong_code.status_code == wrong_folio.status_code == 422
    assert MISMATCH in _page(wrong_code)
    # The only difference is the folio echoed back in the field the person typed it in.
    assert _page(wrong_code).replace(world.folio, "X") == _page(wrong_folio).replace(
        "TIC-2021-999999", "X"
    )
    assert world.code not in _page(wrong_folio)  # the code is never echoed back


def test_an_empty_form_is_refused_in_spanish(app, client):
    resp = client.post("/consulta", data={"folio": "", "code": ""})

    assert resp.status_code == 422
    assert "Escriba el folio." in _page(resp)
    assert "Escriba el código de acceso." in _page(resp)


def test_the_lookup_is_read_only_and_points_to_the_login(app, client, world):
    _unlock(client, world.folio, world.code)

    html = _page(client.get(f"/consulta/{world.folio}"))

    assert "/responder" not in html and "/confirmar" not in html and "/reabrir" not in html
    assert "inicie sesión" in html
    assert "/login?next=" in html
    resp = client.post(f"/solicitudes/{world.folio}/responder", data={"body": "Hola"})
    assert "/login" in resp.headers["Location"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 2


def test_closing_the_lookup_locks_the_folio_again(app, client, world):
    _unlock(client, world.folio, world.code)

    resp = client.post(f"/consulta/{world.folio}/cerrar")

    assert resp.headers["Location"].endswith("/consulta")
    assert client.get(f"/consulta/{world.folio}").status_code == 404


def test_user_text_is_escaped_on_the_lookup(app, client):
    with app.app_context():
        ticket, code = open_with_code(
            system_user(), subject="<script>alert('asunto')</script>", description="<b>negritas</b>"
        )
        folio = ticket.folio
    _unlock(client, folio, code)

    html = _page(client.get(f"/consulta/{folio}"))

    assert "<script>alert" not in html and "<b>negritas</b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;negritas&lt;/b&gt;" in html


def test_the_lookup_pages_run_no_inline_script_or_style(app, client, world):
    pages = [_page(client.get("/consulta")), _page(client.get("/consulta/reenviar"))]
    _unlock(client, world.folio, world.code)
    pages.append(_page(client.get(f"/consulta/{world.folio}")))

    for html in pages:
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
        assert " style=" not in html and " onclick=" not in html


# --- rate limits ----------------------------------------------------------------------------


def test_fifty_wrong_codes_in_a_row_end_up_throttled(app, client, world):
    statuses = [_unlock(client, world.folio, f"AAAA-BBBB-{n:04d}").status_code for n in range(50)]

    assert statuses[0] == 422
    assert statuses[-1] == 429
    assert statuses.count(429) >= 50 - _folio_limit(app)
    refused = _unlock(client, world.folio, world.code)  # even the right code, once throttled
    assert refused.status_code == 429
    assert "Demasiados intentos" in _page(refused)


def test_the_folio_limit_holds_when_each_guess_comes_from_another_address(app, world):
    limit = _folio_limit(app)

    def guess(n: int, folio: str):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.1.{n // 250}.{n % 250 + 1}"
        return _unlock(client, folio, f"AAAA-BBBB-{n:04d}").status_code

    statuses = [guess(n, world.folio) for n in range(limit + 1)]

    assert statuses[:limit] == [422] * limit
    assert statuses[limit] == 429
    assert guess(limit + 1, world.other_folio) == 422  # another folio is not affected


def test_successful_lookups_do_not_use_up_the_folio_limit(app, world):
    for n in range(_folio_limit(app) + 2):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.2.0.{n + 1}"
        assert _unlock(client, world.folio, world.code).status_code == 302


# --- re-issue -------------------------------------------------------------------------------


def _reissue(client, folio: str, email: str):
    return client.post("/consulta/reenviar", data={"folio": folio, "email": email})


def _mailed_codes(app) -> list[str]:
    with app.app_context():
        bodies = db.session.scalars(
            sa.select(OutboxMessage.body_text).where(OutboxMessage.kind == "access_code")
        ).all()
    return [re.search(r"Código de acceso: (\S+)", body).group(1) for body in bodies]


def test_reissue_sends_a_new_code_and_the_old_one_stops_working(app, client, world):
    resp = _reissue(client, world.folio, " Maria.Hernandez@INE.mx ")

    assert resp.headers["Location"].endswith("/consulta")
    assert REISSUED in _page(client.get("/consulta"))
    [new_code] = _mailed_codes(app)
    assert _unlock(app.test_client(), world.folio, world.code).status_code == 422
    assert _unlock(app.test_client(), world.folio, new_code).status_code == 302


def test_reissue_with_a_wrong_email_or_folio_gives_the_same_answer_and_sends_nothing(
    app, client, world
):
    wrong_email = _reissue(client, world.folio, "alguien@otro.mx")
    wrong_folio = _reissue(app.test_client(), "TIC-2021-999999", "maria.hernandez@ine.mx")

    assert wrong_email.status_code == wrong_folio.status_code == 302
    assert wrong_email.headers["Location"] == wrong_folio.headers["Location"]
    assert REISSUED in _page(client.get("/consulta"))
    assert _mailed_codes(app) == []
    assert _unlock(app.test_client(), world.folio, world.code).status_code == 302


def test_reissue_locks_browsers_that_used_the_old_code(app, client, world):
    _unlock(client, world.folio, world.code)

    _reissue(app.test_client(), world.folio, "maria.hernandez@ine.mx")

    assert client.get(f"/consulta/{world.folio}").status_code == 404
    with app.app_context():
        fields = db.session.scalars(
            sa.select(AuditEvent.field).join(Ticket).where(Ticket.folio == world.folio)
        ).all()
    assert "access_code" in fields


def test_reissue_is_rate_limited(app, world):
    statuses = []
    for n in range(_folio_limit(app) + 1):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.3.0.{n + 1}"
        statuses.append(_reissue(client, world.folio, "alguien@otro.mx").status_code)

    assert statuses[-1] == 429
    assert _mailed_codes(app) == []


def test_reissue_with_empty_fields_is_refused_in_spanish(app, client):
    resp = _reissue(client, "", "")

    assert resp.status_code == 422
    assert "Escriba el folio." in _page(resp)
    assert "Escriba el correo electrónico." in _page(resp)
