from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import ObjectChange


@login_required
def change_list(request):
    """The change log (administrators only): who changed what, when, before and after."""
    if not request.user.is_unrestricted:
        raise PermissionDenied
    qs = ObjectChange.objects.select_related("content_type")
    if model := request.GET.get("model"):
        qs = qs.filter(content_type__model=model)
    if user := request.GET.get("user"):
        qs = qs.filter(user_name=user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(c, _shown(c.before), _shown(c.after)) for c in page]
    return render(request, "core/change_list.html", {"page": page, "rows": rows})


def _shown(data) -> str:
    """A snapshot as JSON text (null, true, false — not Python's None), accents kept."""
    if data is None:
        return ""
    return json.dumps(data, ensure_ascii=False, sort_keys=False, default=str)
