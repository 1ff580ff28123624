from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import dashboard


@login_required
def home(request):
    """The scope dashboard: each app's panels for what lies inside the user's scopes."""
    user = request.user
    scopes = [] if user.is_unrestricted else [s.unit for s in user.scopes.select_related("unit")]
    return render(request, "core/home.html", {"panels": dashboard.panels_for(request), "scopes": scopes})
