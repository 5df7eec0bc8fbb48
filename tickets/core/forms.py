"""Form helpers shared by every feature."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """WTForms 3.3 choices from (value, label) pairs, without the deprecated tuples."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def put_errors_on_form(form: FlaskForm, fields: dict[str, str]) -> None:
    """Show a service's ValidationFailed messages next to the inputs they concern."""
    for name, message in fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message] if field.errors else [message]
        else:
            form.form_errors.append(message)


def flash_form_errors(form: FlaskForm) -> None:
    """Flash every error of a form that is not rendered on the page that receives the redirect."""
    for field_errors in form.errors.values():
        for message in field_errors:
            flash(message, "danger")
