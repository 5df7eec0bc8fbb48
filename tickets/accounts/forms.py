"""Account forms: shape only; rules live in accounts.services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from tickets.accounts.models import ROLE_LABELS
from tickets.core.forms import choices


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
