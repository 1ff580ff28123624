"""Helpers shared by the cadre pages: scoped look-ups (404 outside the user's
scopes), the right to change, pagination and the access log of personal data."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.core.scoping import CHANGE, VIEW, restrict

from .. import selectors, services
from ..models import Cadre


def today():
    return timezone.localdate()


def cadres(user, action: str = VIEW):
    return restrict(Cadre.objects.select_related("unit"), user, action)


def cadre_or_404(user, pk: int, action: str = VIEW) -> Cadre:
    cadre = cadres(user, action).filter(pk=pk).first()
    if cadre is None:
        raise Http404(_("No such cadre."))
    return cadre


def may_change(user, cadre: Cadre) -> bool:
    return bool(user.may(CHANGE) and cadres(user, CHANGE).filter(pk=cadre.pk).exists())


def log_personal_view(request, cadre: Cadre) -> None:
    """Log one unmasked view of a record (only for users who see personal data)."""
    if selectors.may_see_personal_data(request.user):
        services.personal_data_access_log(user=request.user, cadre=cadre, channel="web",
                                          path=request.get_full_path())


def log_personal_export(request, cadre_ids) -> None:
    if selectors.may_see_personal_data(request.user):
        services.personal_data_access_log_many(user=request.user, cadre_ids=cadre_ids, channel="export",
                                               path=request.get_full_path())


def photo_response(cadre: Cadre) -> FileResponse:
    """The stored portrait, never cached by shared caches (it is personal data)."""
    response = FileResponse(cadre.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
