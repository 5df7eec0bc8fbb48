"""Catalog forms: shape only; the rules (unique keys, dates, places) live in catalogs.services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from tickets.catalogs.models import PROCESS_KIND_LABELS, REQUESTER_TYPE_LABELS
from tickets.core.forms import choices

KEY_DESCRIPTION = "Mayúsculas, números y guiones; no cambia una vez creada."


class ProcessForm(FlaskForm):
    """Name, kind and dates of an electoral process."""

    name = StringField("Nombre", validators=[InputRequired("Escriba el nombre."), Length(max=200)])
    kind = SelectField(
        "Tipo",
        choices=choices(
            [("", "— Elija —"), *((k.value, t) for k, t in PROCESS_KIND_LABELS.items())]
        ),
        validators=[InputRequired("Elija el tipo de proceso.")],
    )
    starts_on = DateField("Inicio", validators=[InputRequired("Escriba la fecha de inicio.")])
    ends_on = DateField("Término", validators=[InputRequired("Escriba la fecha de término.")])


class NewProcessForm(ProcessForm):
    """A new process also gets its key (EXT-2022, PEL-2023-2024…)."""

    key = StringField(
        "Clave",
        description=KEY_DESCRIPTION,
        validators=[InputRequired("Escriba la clave."), Length(max=30)],
    )


class ElectionForm(FlaskForm):
    """One election of a process: a state and its election day."""

    state_id = SelectField("Entidad", validators=[InputRequired("Elija la entidad.")])
    election_day = DateField(
        "Jornada electoral", validators=[InputRequired("Escriba la fecha de la jornada electoral.")]
    )
    description = StringField("Qué se elige", validators=[Optional(), Length(max=400)])


class EntryForm(FlaskForm):
    """Name and description of a system or a category."""

    name = StringField("Nombre", validators=[InputRequired("Escriba el nombre."), Length(max=250)])
    description = TextAreaField("Descripción", validators=[Optional(), Length(max=2000)])


class NewEntryForm(EntryForm):
    key = StringField(
        "Clave",
        description=KEY_DESCRIPTION,
        validators=[InputRequired("Escriba la clave."), Length(max=40)],
    )


class OrganizationForm(FlaskForm):
    """What can change in an organisation: its name and acronym."""

    name = StringField("Nombre", validators=[InputRequired("Escriba el nombre."), Length(max=200)])
    acronym = StringField("Siglas", validators=[Optional(), Length(max=40)])


class NewOrganizationForm(OrganizationForm):
    """A new organisation: its kind and where it belongs."""

    kind = SelectField(
        "Tipo de solicitante",
        choices=choices(
            [("", "— Elija —"), *((k.value, t) for k, t in REQUESTER_TYPE_LABELS.items())]
        ),
        validators=[InputRequired("Elija el tipo de organización.")],
    )
    state_id = SelectField("Entidad", validators=[Optional()])
    district_number = IntegerField(
        "Distrito federal (número)",
        validators=[Optional(), NumberRange(min=1, max=99, message="Un número del 1 al 99.")],
    )
    party_id = SelectField("Partido político", validators=[Optional()])
    key = StringField("Clave", validators=[Optional(), Length(max=60)])


class OrganizationFilterForm(FlaskForm):
    """The organisation list's filter bar (GET; invalid values are ignored)."""

    class Meta:
        csrf = False

    kind = SelectField(
        "Tipo",
        choices=choices([("", "Todos"), *((k.value, t) for k, t in REQUESTER_TYPE_LABELS.items())]),
        validators=[Optional()],
    )
    state_id = SelectField("Entidad", validators=[Optional()])
    q = SearchField("Nombre, siglas o clave", validators=[Optional(), Length(max=100)])
    active = SelectField(
        "Situación",
        choices=choices([("", "Todas"), ("1", "Activas"), ("0", "Desactivadas")]),
        validators=[Optional()],
    )


class ActiveForm(FlaskForm):
    """The deactivate / reactivate button: the new state and the page to go back to."""

    active = HiddenField(validators=[AnyOf(["0", "1"], message="Acción no válida.")])
    next = HiddenField()
