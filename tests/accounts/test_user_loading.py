"""The logged-in user each request loads: the session's own object, current to the row
(the user loader reads it with the catalog token, tickets/accounts/auth.py)."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_user, org
from tickets.accounts.models import Role, User
from tickets.catalogs.revision import current_token
from tickets.extensions import db, login_manager


def _load(user_id: int) -> User | None:
    return login_manager._user_callback(str(user_id))


def read_token() -> int:
    return db.session.scalar(sa.select(current_token()))


def test_the_loaded_user_is_the_sessions_own_and_unchanged(app):
    with app.app_context():
        requester = make_user(Role.REQUESTER, organization=org("JL-12"), name="Rosa Salgado")
        db.session.commit()
        user_id = requester.id
        db.session.remove()

    with app.test_request_context():
        user = _load(user_id)

        assert sa.inspect(user).persistent
        assert user in db.session and not db.session.dirty and not db.session.new
        assert (user.name, user.role, user.is_enabled) == ("Rosa Salgado", Role.REQUESTER, True)
        assert user.organization.key == "JL-12"  # loaded on demand, like any relationship
        assert user.created_at.tzinfo is not None
        assert db.session.get(User, user_id) is user  # the identity map knows it
        assert _load(user_id) is user
        db.session.flush()
        assert not db.session.dirty  # nothing was written on its behalf


def test_a_change_to_the_loaded_user_is_saved_and_seen_by_the_next_request(app):
    with app.app_context():
        user_id = make_user(Role.OPERATOR, name="Antes").id
        db.session.commit()
        token_before = read_token()
        db.session.remove()

    with app.test_request_context():
        user = _load(user_id)
        user.name = "Después"
        db.session.commit()
        assert user.name == "Después"  # expired at commit, read again

    with app.test_request_context():
        assert _load(user_id).name == "Después"
        assert read_token() != token_before  # a person's name is part of the catalogs' token


def test_an_unknown_or_malformed_id_loads_nobody(app):
    with app.test_request_context():
        assert _load(987654) is None
        assert login_manager._user_callback("1; DROP TABLE users") is None
