"""The SLA page's forms: shape and parsing only; the rules live in tickets.sla.admin."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import InputRequired, Length

from tickets.helpdesk.models import Priority
from tickets.sla.admin import DESCRIPTION_LIMIT, field_name, hours_minutes

HOURS_MINUTES = re.compile(r"(\d{1,6}):([0-5]\d)")
MALFORMED = "Escriba horas y minutos separados por dos puntos, como 4:00 o 0:15."


def parse_hours_minutes(text: str) -> int:
    """'4:00' -> 240, '0:15' -> 15, '72:00' -> 4320; ValueError with the Spanish message."""
    match = HOURS_MINUTES.fullmatch(text.strip())
    if match is None:
        raise ValueError(MALFORMED)
    return int(match[1]) * 60 + int(match[2])


class HoursMinutesField(StringField):
    """A duration typed as H:MM; ``data`` is whole minutes, or None when the text is not H:MM.

    A refused form shows the text exactly as typed, so the admin sees what to fix.
    """

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = parse_hours_minutes(valuelist[0])  # WTForms shows the ValueError

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return hours_minutes(self.data) if isinstance(self.data, int) else ""


def _duration(label: str) -> HoursMinutesField:
    return HoursMinutesField(
        label,
        validators=[InputRequired("Escriba el plazo en horas y minutos (H:MM).")],
        render_kw={"placeholder": "H:MM", "autocomplete": "off", "spellcheck": "false"},
    )


class PoliciesForm(FlaskForm):
    """The two targets of each priority, all four priorities in one form (saved together)."""

    critical_first_response = _duration("Primera respuesta")
    critical_resolution = _duration("Solución")
    high_first_response = _duration("Primera respuesta")
    high_resolution = _duration("Solución")
    medium_first_response = _duration("Primera respuesta")
    medium_resolution = _duration("Solución")
    low_first_response = _duration("Primera respuesta")
    low_resolution = _duration("Solución")

    def target(self, priority: Priority, target: str) -> HoursMinutesField:
        """The field of one priority's target ('first_response' or 'resolution')."""
        return self[field_name(priority, target)]


class NonWorkingDayForm(FlaskForm):
    """A day the Institute does not work, beyond the official holidays."""

    day = DateField("Fecha", validators=[InputRequired("Escriba la fecha.")])
    description = StringField(
        "Descripción",
        validators=[
            InputRequired("Escriba la descripción."),
            Length(max=DESCRIPTION_LIMIT, message=f"Admite hasta {DESCRIPTION_LIMIT} caracteres."),
        ],
        render_kw={"maxlength": DESCRIPTION_LIMIT},
    )
