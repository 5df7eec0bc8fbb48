"""The layout's menu: links built once per application root, still right for every root."""

from __future__ import annotations

import re

from tests.factories import make_user
from tickets.accounts.models import Role


def _menu_links(html: str) -> set[str]:
    return set(re.findall(r'class="nav-link" href="([^"]+)"', html))


def _admin_client(app, client_as):
    with app.app_context():
        admin_id = make_user(Role.ADMIN).id
    return client_as(admin_id)


def test_the_menu_follows_the_prefix_the_app_is_served_under(app, client_as):
    client = _admin_client(app, client_as)
    plain = client.get("/tickets/").get_data(as_text=True)
    prefixed = client.get("/tickets/", base_url="http://localhost/mesa").get_data(as_text=True)
    plain_again = client.get("/tickets/").get_data(as_text=True)

    assert "/tickets/?mine=1" in _menu_links(plain)
    assert _menu_links(prefixed) == {f"/mesa{link}" for link in _menu_links(plain)}
    assert _menu_links(plain_again) == _menu_links(plain)
    assert 'href="/mesa/static/css/app.css"' in prefixed
    assert "/mesa/bootstrap/static/" in prefixed


def test_each_role_sees_only_its_menu(app, client_as):
    with app.app_context():
        operator_id = make_user(Role.OPERATOR).id
    operator_links = _menu_links(client_as(operator_id).get("/tickets/").get_data(as_text=True))
    admin_links = _menu_links(_admin_client(app, client_as).get("/tickets/").get_data(as_text=True))

    assert "/admin/tareas/" in admin_links
    assert "/admin/tareas/" not in operator_links
    assert "/tickets/nuevo" in operator_links
