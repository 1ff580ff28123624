"""Menu entries that apps register in their ``AppConfig.ready``."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    order: int = 100
    permission: str = "view"  # an action the user must be allowed (see User.may)
    admin_only: bool = False


_ITEMS: list[MenuItem] = []


def register(item: MenuItem) -> None:
    if all(i.url_name != item.url_name for i in _ITEMS):
        _ITEMS.append(item)


def items_for(user, current_path: str) -> list[dict]:
    """The entries ``user`` may open; the one whose URL is the longest prefix of the page is active."""
    out = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if item.admin_only and not getattr(user, "is_unrestricted", False):
            continue
        if not user.may(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": item.label, "url": url, "active": False})
    matching = [i for i in out if current_path.startswith(i["url"]) and i["url"] != "/"]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    return out
