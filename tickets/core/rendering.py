"""Rendering helpers for pages that show the same fragments request after request."""

from __future__ import annotations

import functools

from flask import current_app, get_template_attribute
from markupsafe import Markup


def kept(name: str, function, maxsize: int):
    """``function`` with its results kept per distinct arguments, in an LRU of ``maxsize``.

    The arguments must therefore be everything the result depends on (a changed ticket,
    catalog token or SLA minute is then a new key, on every worker, and nothing needs
    invalidating). One cache per app and name: a test's app is not kept alive."""
    caches = current_app.extensions.setdefault("mesatic.kept", {})
    if name not in caches:
        caches[name] = functools.lru_cache(maxsize=maxsize)(function)
    return caches[name]


def kept_macro(template: str, name: str, maxsize: int):
    """A template macro whose output is kept per distinct arguments (`kept`); the macro is part
    of the key, so a template reloaded in development renders anew."""
    render = kept(f"macro {template} {name}", _call, maxsize)
    return functools.partial(render, get_template_attribute(template, name))


def _call(macro, *args) -> Markup:
    return macro(*args)


def mark_selected(options: Markup, value) -> Markup:
    """Rendered <option>s with the one whose value equals ``value`` selected, as WTForms marks
    it (none when no option has that value, e.g. a refused one)."""
    if value is None:
        return options
    plain = Markup('<option value="{}">').format(value)
    return options.replace(plain, Markup('<option selected value="{}">').format(value))
