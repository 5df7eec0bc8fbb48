"""Rendering helpers for pages that show the same fragments request after request."""

from __future__ import annotations

import functools

from flask import current_app, get_template_attribute
from markupsafe import Markup


def kept_macro(template: str, name: str, maxsize: int):
    """A template macro whose output is kept per distinct arguments.

    The arguments must therefore be everything the macro shows: a changed ticket, catalog entry
    or SLA minute is then a new key, on every worker, and nothing needs invalidating. One cache
    per app (a test's app is not kept alive), and the macro is part of the key: a template
    reloaded in development renders anew.
    """
    caches = current_app.extensions.setdefault("mesatic.kept_macros", {})
    if (template, name) not in caches:
        caches[template, name] = functools.lru_cache(maxsize=maxsize)(_call)
    return functools.partial(caches[template, name], get_template_attribute(template, name))


def _call(macro, *args) -> Markup:
    return macro(*args)


def mark_selected(options: Markup, value) -> Markup:
    """Rendered <option>s with the one whose value equals ``value`` selected, as WTForms marks
    it (none when no option has that value, e.g. a refused one)."""
    if value is None:
        return options
    plain = Markup('<option value="{}">').format(value)
    return options.replace(plain, Markup('<option selected value="{}">').format(value))
