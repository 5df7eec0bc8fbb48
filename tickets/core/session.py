"""The single place a service ends its unit of work."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tickets.core.errors import Conflict
from tickets.extensions import db


def commit() -> None:
    """Commit the session; a concurrent write becomes a Conflict, and nothing is half-written."""
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise Conflict(
            _(
                "Otra persona modificó este registro mientras lo editaba. "
                "Recargue e intente de nuevo."
            )
        ) from exc
    except IntegrityError:
        db.session.rollback()
        raise
