"""Jinja filters and globals: Mexican dates, Mexico City times, Spanish labels."""

from __future__ import annotations

from babel.dates import get_month_names
from flask import Flask, current_app, request, url_for
from markupsafe import Markup

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


# Babel's wide month names ("MMMM") in Spanish, read once: what timeutil.long_datetime writes.
MONTHS = dict(get_month_names("wide", locale="es_MX"))


def long_datetime(moment) -> str:
    """'14 de noviembre de 2021, 18:05' in Mexico City time, as timeutil.long_datetime writes it.

    Templates use this one: Babel interprets its date pattern on every call (about 70 µs), and a
    ticket page shows some fifteen dates. tests/helpdesk/test_render_paths.py checks that both
    write the same text.
    """
    if moment is None:
        return ""
    local = timeutil.to_mx(moment)
    return f"{local.day} de {MONTHS[local.month]} de {local.year}, {local:%H:%M}"


def url_with(**changes) -> str:
    """The current page's URL with some query arguments replaced (filters, pages, sorts)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


# The layout's menu, by name: (endpoint, query arguments).
LAYOUT_LINKS = {
    "index": ("index", {}),
    "queue": ("helpdesk.queue", {}),
    "mine": ("helpdesk.queue", {"mine": "1"}),
    "new_ticket": ("helpdesk.new", {}),
    "invite": ("accounts.invite_requester", {}),
    "prep": ("prep.index", {}),
    "training": ("training.index", {}),
    "reports": ("reports.index", {}),
    "dashboard": ("dashboard.index", {}),
    "my_requests": ("portal.my_requests", {}),
    "new_request": ("portal.new_request", {}),
    "users": ("accounts.users", {}),
    "catalogs": ("catalogs.index", {}),
    "sla": ("sla.index", {}),
    "jobs": ("jobs.index", {}),
    "logout": ("accounts.logout", {}),
    "app_css": ("static", {"filename": "css/app.css"}),
}


def layout_links() -> dict[str, str | Markup]:
    """The menu's URLs and Bootstrap's tags, built once per application root.

    They only change with the prefix the app is served under (SCRIPT_NAME), and building them
    on every page (seventeen url_for calls and Bootstrap's tags) was a tenth of what an empty
    staff page costs.
    """
    cache = current_app.extensions.setdefault("mesatic_layout_links", {})
    links = cache.get(request.script_root)
    if links is None:
        bootstrap = current_app.extensions["bootstrap"]
        links = {name: url_for(ep, **args) for name, (ep, args) in LAYOUT_LINKS.items()}
        links |= {"bootstrap_css": bootstrap.load_css(), "bootstrap_js": bootstrap.load_js()}
        cache[request.script_root] = links
    return links


def register(app: Flask) -> None:
    """Expose the helpers to every template."""
    app.add_template_filter(timeutil.long_date, "long_date")
    app.add_template_filter(long_datetime, "long_datetime")
    app.add_template_filter(timeutil.short_datetime, "short_datetime")
    app.add_template_filter(label, "label")
    app.add_template_global(url_with, "url_with")
    app.add_template_global(layout_links, "layout_links")
    from tickets.sla.display import sla_cell

    app.add_template_global(sla_cell, "sla_cell")
