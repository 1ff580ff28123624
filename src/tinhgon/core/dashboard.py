"""The scope dashboard (the home page): a panel registry apps add their figures to.

An app registers panels in its ``AppConfig.ready``::

    dashboard.register(dashboard.Panel(
        key="cadres", title=_("Cadres"), template="cadres/panels/summary.html",
        context=cadre_panel, order=30))

``context(request)`` returns the template's context — computed through the app's
selectors, which go through :func:`tinhgon.core.scoping.restrict` for
``request.user`` — or None to leave the panel out (nothing to show this user).  A panel
may require an action (``permission``); the home page renders the panels in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable[..., dict | None]
    order: int = 100
    permission: str = "view"
    wide: bool = False


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Add (or replace, by key) a panel of the home page."""
    _PANELS[panel.key] = panel


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def panels_for(request) -> list[dict]:
    """The panels ``request.user`` may see, rendered: ``{"key", "title", "html", "wide"}``."""
    out = []
    for panel in panels():
        if not request.user.may(panel.permission):
            continue
        ctx = panel.context(request)
        if ctx is None:
            continue
        html = render_to_string(panel.template, {**ctx, "panel": panel}, request=request)
        out.append({"key": panel.key, "title": panel.title, "html": html, "wide": panel.wide})
    return out


def scope_roots(user) -> list[str] | None:
    """The path prefixes a panel should count under: None for the whole country."""
    if getattr(user, "is_unrestricted", False):
        return None
    return user.scope_paths()
