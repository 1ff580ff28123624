"""Denouncer protection: who may see the petitioners of a matter.

A denouncer's identity (the petitioners of a denunciation) is shown only to the handling
officers the matter names; every page and answer that shows it records the access
(:func:`tinhgon.petitions.services.identity_access_log`).  Exports, the change log
(``changelog_redacted``), the duplicate hints and the reports never carry it.
"""

from __future__ import annotations

from .models import Petition


def identity_visible(user, petition: Petition) -> bool:
    """Whether ``user`` may see the petitioners' identity: anyone who reaches a complaint or a
    recommendation; for a denunciation only the handling officers it names."""
    if not petition.protected:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return petition.handling_officers.filter(pk=user.pk).exists()
