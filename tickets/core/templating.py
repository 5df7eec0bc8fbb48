"""Jinja filters and globals: Mexican dates, Mexico City times, Spanish labels."""

from __future__ import annotations

from flask import Flask, request, url_for

from tickets.accounts.models import ROLE_LABELS
from tickets.catalogs.models import PROCESS_KIND_LABELS, REQUESTER_TYPE_LABELS
from tickets.core import timeutil
from tickets.helpdesk.workflow import CHANNEL_LABELS, PRIORITY_LABELS, STATUS_LABELS

LABELS = {
    "status": STATUS_LABELS,
    "priority": PRIORITY_LABELS,
    "channel": CHANNEL_LABELS,
    "requester_type": REQUESTER_TYPE_LABELS,
    "role": ROLE_LABELS,
    "process_kind": PROCESS_KIND_LABELS,
}


def label(value, kind: str) -> str:
    """The Spanish label of an enum value ('in_progress' -> 'En atención')."""
    if value is None:
        return ""
    mapping = LABELS[kind]
    for key, text in mapping.items():
        if key == value or key.value == value:
            return text
    return str(value)


def url_with(**changes) -> str:
    """The current page's URL with some query arguments replaced (filters, pages, sorts)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register(app: Flask) -> None:
    """Expose the helpers to every template."""
    app.add_template_filter(timeutil.long_date, "long_date")
    app.add_template_filter(timeutil.long_datetime, "long_datetime")
    app.add_template_filter(timeutil.short_datetime, "short_datetime")
    app.add_template_filter(label, "label")
    app.add_template_global(url_with, "url_with")
