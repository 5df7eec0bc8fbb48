"""Account forms: shape only; rules live in accounts.services."""

from __future__ import annotations

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from tickets.accounts.models import ROLE_LABELS
from tickets.catalogs.models import REQUESTER_TYPE_LABELS, Organization, RequesterType, State
from tickets.core.forms import choices
from tickets.core.text import fold
from tickets.extensions import db


class LoginForm(FlaskForm):
    email = EmailField("Correo electrónico", validators=[DataRequired("Escriba su correo.")])
    password = PasswordField("Contraseña", validators=[DataRequired("Escriba su contraseña.")])


class UserForm(FlaskForm):
    email = EmailField(
        "Correo electrónico",
        validators=[
            DataRequired("Escriba el correo."),
            Email("Correo no válido."),
            Length(max=254),
        ],
    )
    name = StringField("Nombre", validators=[DataRequired("Escriba el nombre."), Length(max=120)])
    role = SelectField("Rol", choices=choices((r.value, t) for r, t in ROLE_LABELS.items()))
    organization_id = SelectField(
        "Organización (solo solicitantes)", validators=[Optional()], validate_choice=False
    )
    is_enabled = BooleanField("Cuenta activa", default=True)


class PasswordForm(FlaskForm):
    password = PasswordField(
        "Nueva contraseña",
        validators=[
            DataRequired("Escriba la contraseña."),
            Length(min=10, message="Al menos 10 caracteres."),
        ],
    )
    confirm = PasswordField(
        "Confirme la contraseña",
        validators=[EqualTo("password", message="Las contraseñas no coinciden.")],
    )


class InviteForm(FlaskForm):
    name = StringField(
        "Nombre completo",
        validators=[
            DataRequired("Escriba el nombre."),
            Length(max=120, message="Hasta 120 caracteres."),
        ],
    )
    email = EmailField(
        "Correo electrónico",
        validators=[
            DataRequired("Escriba el correo."),
            Email("Correo no válido."),
            Length(max=254, message="Hasta 254 caracteres."),
        ],
    )
    organization_id = SelectField(
        "Organización",
        validators=[DataRequired("Elija la organización.")],
        validate_choice=False,  # the service checks it exists and is active
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Correo electrónico",
        validators=[
            DataRequired("Escriba su correo."),
            Email("Correo no válido."),
            Length(max=254, message="Hasta 254 caracteres."),
        ],
    )


# The order staff think of them in; each kind is one <optgroup> with its Spanish label.
KIND_ORDER = [
    RequesterType.JUNTA,
    RequesterType.OPL,
    RequesterType.PARTY,
    RequesterType.CANDIDACY,
    RequesterType.CENTRAL,
]


def organization_choices(q: str = "", keep: int | None = None) -> list[SelectChoice]:
    """Active organisations grouped by kind, narrowed to those matching ``q``.

    Every word typed must appear, ignoring case and accents, in the name, acronym, key or
    state, so "guerrero", "IEPC", "JD-12-05" or "junta 05 guerrero" find their organisation.
    ``keep`` (the chosen one) stays in the list even when the filter would hide it. The
    catalog is a few hundred rows: the same query the unfiltered select needs.
    """
    rows = db.session.execute(
        sa.select(
            Organization.id,
            Organization.kind,
            Organization.name,
            Organization.acronym,
            Organization.key,
            Organization.district_id,
            State.display_name,
        )
        .outerjoin(State, Organization.state_id == State.id)
        .where(Organization.is_active.is_(True))
        .order_by(Organization.name)
    ).all()
    words = fold(q).split()
    kept = [row for row in rows if row.id == keep or _matches(row, words)]
    kept.sort(key=_order)
    return [SelectChoice("", "— Elija la organización —")] + [
        SelectChoice(str(row.id), _label(row), optgroup=REQUESTER_TYPE_LABELS[row.kind])
        for row in kept
    ]


def _order(row) -> tuple:
    """By kind, then state, the Junta Local before its Juntas Distritales, then name."""
    return (
        KIND_ORDER.index(row.kind),
        fold(row.display_name),
        row.district_id is not None,
        fold(row.name),
    )


def _matches(row, words: list[str]) -> bool:
    haystack = fold(" ".join(filter(None, (row.name, row.acronym, row.key, row.display_name))))
    return all(word in haystack for word in words)


def _label(row) -> str:
    if row.display_name and fold(row.display_name) not in fold(row.name):
        return f"{row.name} · {row.display_name}"
    return row.name
