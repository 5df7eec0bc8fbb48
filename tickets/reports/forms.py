"""Report forms: shape only; the rules (drafts only, versions, lengths) live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp
from wtforms.widgets import HiddenInput

from tickets.reports.services import FIELD_LIMITS, MAX_OVERRIDES, MAX_PARAGRAPH_CHARS, ReportFields

RELOAD = "Recargue la página e intente de nuevo."


def _text(label: str, name: str, area: bool = False, **kw):
    field = TextAreaField if area else StringField
    limit = FIELD_LIMITS[name]
    return field(
        label,
        validators=[
            Optional(),
            Length(max=limit, message=f"Escriba como máximo {limit} caracteres."),
        ],
        **kw,
    )


class MonthPickerForm(FlaskForm):
    """The month a person wants to open (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    mes = StringField(
        "Mes",
        render_kw={"type": "month", "min": "2000-01", "placeholder": "AAAA-MM"},
        validators=[
            InputRequired("Elija un mes."),
            Regexp(
                r"^\d{4}-(0[1-9]|1[0-2])$",
                message="Escriba el mes como AAAA-MM, por ejemplo 2021-11.",
            ),
        ],
    )


class VersionedForm(FlaskForm):
    """Approve and reopen buttons: the version the person saw (0: no report yet)."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(RELOAD)])


class ParagraphForm(Form):
    """One generated paragraph and the supervisor's wording for it (blank: the generated one)."""

    key = HiddenField(validators=[InputRequired(RELOAD), Length(max=120, message=RELOAD)])
    text = TextAreaField(
        "Texto",
        validators=[
            Optional(),
            Length(
                max=MAX_PARAGRAPH_CHARS,
                message=f"Escriba como máximo {MAX_PARAGRAPH_CHARS} caracteres.",
            ),
        ],
    )


class ReportForm(VersionedForm):
    """The free fields of the institutional form and the wording of each generated paragraph."""

    visit_date = _text("Fecha de visita", "visit_date")
    junta = _text("Junta", "junta")
    districts = _text("Distritos", "districts")
    objective = _text("Objetivo de la visita", "objective", area=True)
    agreements = _text(
        "Asuntos relacionados con la firma de Convenios de Apoyo y Colaboración",
        "agreements",
        area=True,
    )
    particular_matters = _text("Asuntos en particular", "particular_matters", area=True)
    opportunity_areas = _text("Áreas de oportunidad", "opportunity_areas", area=True)
    ordinary_activity = _text("Actividad ordinaria", "ordinary_activity", area=True)
    pycipef = _text("PyCIPEF", "pycipef", area=True)
    cip_project = StringField(
        "Con qué proyecto de la CIP se relaciona",
        validators=[
            InputRequired("Escriba el proyecto de la CIP con el que se relaciona."),
            Length(max=FIELD_LIMITS["cip_project"]),
        ],
    )
    observations = _text("Observaciones", "observations", area=True)
    paragraphs = FieldList(FormField(ParagraphForm), max_entries=MAX_OVERRIDES)

    def fill(self, values: ReportFields, generated: dict[str, str], overrides: dict) -> None:
        """Start from the saved fields; each paragraph shows its adjusted or generated text."""
        for name, value in vars(values).items():
            getattr(self, name).data = value
        for key, text in generated.items():
            self.paragraphs.append_entry({"key": key, "text": overrides.get(key) or text})

    def values(self) -> ReportFields:
        return ReportFields(
            **{name: getattr(self, name).data or "" for name in vars(ReportFields())}
        )

    def overrides(self) -> dict[str, str]:
        return {entry.key.data: entry.text.data or "" for entry in self.paragraphs}
