"""Tables of the petition lists (page rows and Excel from one description).

No table has a petitioner column: a denouncer's identity never reaches an export.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.tables import Column, Table


def _state(o, t):
    text = str(o.get_status_display())
    left = o.days_left(t.today)
    if left is not None and left < 0:
        text += " · " + str(_("overdue"))
    return text


class PetitionTable(Table):
    title = _("Petitions")

    def __init__(self, today):
        self.today = today

    columns = [
        Column(_("Case code"), lambda o, t: o.code, link=lambda o, t: reverse("petitions:petition", args=[o.pk]),
               width=16),
        Column(_("Kind of matter"), lambda o, t: o.get_kind_display(), width=14),
        Column(_("Round"), lambda o, t: o.round, num=True, width=7),
        Column(_("Subject matter"), lambda o, t: o.get_subject_display(), width=22),
        Column(_("Summary"), lambda o, t: o.title, width=40),
        Column(_("Place"), lambda o, t: o.place.name, width=22),
        Column(_("Handling unit"), lambda o, t: o.handling_unit.name, width=22),
        Column(_("People"), lambda o, t: o.people, num=True, width=8),
        Column(_("Contacts"), lambda o, t: o.contacts_count, num=True, width=8),
        Column(_("Received on"), lambda o, t: o.received_on, width=12),
        Column(_("Deadline"), lambda o, t: o.deadline, width=12),
        Column(pgettext_lazy("petitions", "Status"), _state, width=16),
    ]


def _ev(h, key):
    from .protection import protected_evidence

    return protected_evidence(h.evidence).get(key)


class HotSpotTable(Table):
    title = _("Hot spots")
    columns = [
        Column(_("Place"), lambda h, t: h.place.name, link=lambda h, t: reverse("petitions:hotspot", args=[h.pk]),
               width=28),
        Column(_("Subject matter"), lambda h, t: h.get_subject_display(), width=22),
        Column(pgettext_lazy("petitions", "Status"), lambda h, t: h.get_status_display(), width=14),
        Column(_("People"), lambda h, t: _ev(h, "people"), num=True, width=8),
        Column(_("Contacts"), lambda h, t: _ev(h, "contacts"), num=True, width=8),
        Column(_("Largest group"), lambda h, t: _ev(h, "largest_group"), num=True, width=10),
        Column(_("Overdue"), lambda h, t: _ev(h, "overdue"), num=True, width=8),
        Column(_("Detected on"), lambda h, t: h.detected_on, width=12),
        Column(_("Owner"), lambda h, t: h.owner.full_name if h.owner_id else "", width=22),
        Column(_("Resolved on"), lambda h, t: h.resolved_on, width=12),
    ]


class ReportTable(Table):
    title = _("Petitions report")

    def __init__(self, first_label):
        self.columns = [
            Column(first_label, lambda r, t: r["label"], width=32),
            Column(_("Received"), lambda r, t: r["received"], num=True, width=10),
            Column(_("Accepted for settlement"), lambda r, t: r["accepted"], num=True, width=10),
            Column(_("Settled on time"), lambda r, t: r["on_time"], num=True, width=12),
            Column(_("Settled late"), lambda r, t: r["late"], num=True, width=12),
            Column(_("Overdue"), lambda r, t: r["overdue"], num=True, width=10),
            Column(_("Still open"), lambda r, t: r["open"], num=True, width=10),
            Column(_("Of which denunciations"), lambda r, t: r.get("denunciations"), num=True, width=12),
        ]


class SessionTable(Table):
    title = _("Reception sessions")
    columns = [
        Column(_("Date"), lambda s, t: s.on, width=12),
        Column(_("Unit"), lambda s, t: s.unit.name, width=26),
        Column(_("Leader"), lambda s, t: s.leader.full_name, width=24),
        Column(_("Leader's role"), lambda s, t: s.get_leader_role_display(), width=18),
        Column(_("Place"), lambda s, t: s.place + (" (" + str(_("online")) + ")" if s.online else ""), width=26),
        Column(_("Citizens received"), lambda s, t: s.citizens, num=True, width=10),
        Column(_("Matters raised"), lambda s, t: ", ".join(p.code for p in s.petitions.all()), width=30),
    ]


class DialogueTable(Table):
    title = _("Dialogue sessions")
    columns = [
        Column(_("Date"), lambda s, t: s.on, width=12),
        Column(_("Unit"), lambda s, t: s.unit.name, width=26),
        Column(_("Leader"), lambda s, t: s.leader.full_name, width=24),
        Column(_("Topic"), lambda s, t: s.topic, width=36),
        Column(_("Citizens taking part"), lambda s, t: s.participants, num=True, width=10),
        Column(_("Outcome"), lambda s, t: s.outcome, width=40),
        Column(_("Matters"), lambda s, t: ", ".join(p.code for p in s.petitions.all()), width=30),
        Column(_("Hot spot"), lambda s, t: str(s.hotspot) if s.hotspot_id else "",
               link=lambda s, t: reverse("petitions:hotspot", args=[s.hotspot_id]) if s.hotspot_id else None,
               width=30),
    ]
