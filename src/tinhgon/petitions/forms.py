"""Forms of the petition pages: they shape input, the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhgon.core.forms import date_field

from . import rules
from .models import CHANNELS, COMPLEXITIES, KINDS, LEADER_ROLES, SUBJECTS, HotSpot, Petition


def parse_petitioners(text: str) -> list[dict]:
    """One petitioner a line: ``name; phone; address``; a leading ``*`` marks a representative."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        rep = line.startswith("*")
        parts = [p.strip() for p in line.lstrip("*").split(";")]
        out.append({"full_name": parts[0], "phone": parts[1] if len(parts) > 1 else "",
                    "address": parts[2] if len(parts) > 2 else "", "is_representative": rep})
    return out


class IntakeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of matter"), choices=KINDS)
    round = forms.TypedChoiceField(label=_("Round"), choices=[(1, _("First")), (2, _("Second"))], coerce=int,
                                   initial=1)
    first_round_code = forms.CharField(label=_("First-round case code"), required=False, max_length=20,
                                       help_text=_("For a second-round complaint, e.g. KN-2026-000123."))
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNELS, initial="desk")
    subject = forms.ChoiceField(label=_("Subject matter"), choices=SUBJECTS)
    place_text = forms.CharField(label=_("Place (address as written)"), max_length=500,
                                 help_text=_("Old names work too: “Phường Phúc Xá, Quận Ba Đình, Hà Nội”, or a unit code."))
    received_on = date_field(_("Received on"))
    title = forms.CharField(label=_("Summary"), max_length=300)
    content = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    petitioners = forms.CharField(
        label=_("Petitioners"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: name; phone; address. Start the line with * for a representative of a group."))
    people = forms.IntegerField(label=_("People in the group"), required=False, min_value=1, max_value=100000,
                                help_text=_("How many came or signed (a crowded group: 5 or more)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()

    def service_kwargs(self, user) -> dict:
        d = self.cleaned_data
        first = None
        code = (d.get("first_round_code") or "").strip().upper()
        if code:
            from tinhgon.core.scoping import restrict

            first = restrict(Petition.objects.filter(code=code), user).first()
            if first is None:
                from django.core.exceptions import ValidationError

                raise ValidationError({"first_round_code": [_("No matter %(code)s in your scopes.") % {"code": code}]})
        return {"kind": d["kind"], "round": d["round"], "first_round": first, "channel": d["channel"],
                "subject": d["subject"], "place_text": d["place_text"], "received_on": d["received_on"],
                "title": d["title"], "content": d["content"], "petitioners": parse_petitioners(d["petitioners"]),
                "people": d.get("people")}


FIELD_MAP = {"first_round": "first_round_code", "representatives": "petitioners"}


class ContactForm(forms.Form):
    on = date_field(_("Date"))
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNELS, initial="desk")
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=100000, initial=1)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    petitioners = forms.CharField(label=_("New petitioners"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("One a line: name; phone; address (those already named are kept)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["petitioners"] = parse_petitioners(d.get("petitioners") or "")
        return d


class OnForm(forms.Form):
    on = date_field(_("Date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class AcceptForm(OnForm):
    complexity = forms.ChoiceField(label=_("Complexity"), choices=COMPLEXITIES, initial=rules.NORMAL)


class ReasonForm(OnForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ExtendForm(ReasonForm):
    complexity = forms.ChoiceField(label=_("Complexity"), choices=[("", "—"), *COMPLEXITIES], required=False)


class SuspendForm(ReasonForm):
    days = forms.IntegerField(label=_("Days suspended"), min_value=1, max_value=3650)


class ConcludeForm(OnForm):
    conclusion = forms.CharField(label=_("Conclusion or settlement decision"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(OnForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RouteForm(OnForm):
    unit_code = forms.CharField(label=_("Unit code of the competent unit"), max_length=40)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class OfficersForm(forms.Form):
    usernames = forms.CharField(label=_("Handling officers (user names, comma-separated)"), required=False,
                                max_length=1000)
    leader_id = forms.IntegerField(label=_("Leader in charge (cadre record number)"), required=False, min_value=1)


class HotSpotPlanForm(forms.Form):
    owner_id = forms.IntegerField(label=_("Owner (cadre record number)"), required=False, min_value=1)
    plan_kind = forms.ChoiceField(label=_("Plan"), choices=[("", "—"), *HotSpot.PLAN_KINDS], required=False)
    plan = forms.CharField(label=_("Plan details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class HotSpotResolveForm(OnForm):
    resolution = forms.CharField(label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SessionForm(forms.Form):
    unit_code = forms.CharField(label=_("Unit code"), max_length=40)
    leader_id = forms.IntegerField(label=_("Leader (cadre record number)"), min_value=1)
    leader_role = forms.ChoiceField(label=_("Leader's role"), choices=LEADER_ROLES)
    on = date_field(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=200)
    online = forms.BooleanField(label=_("Online"), required=False)
    citizens = forms.IntegerField(label=_("Citizens received"), min_value=0, max_value=100000, initial=0)
    codes = forms.CharField(label=_("Matters raised (case codes, comma-separated)"), required=False, max_length=2000)
    note = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DialogueForm(forms.Form):
    unit_code = forms.CharField(label=_("Unit code"), max_length=40)
    leader_id = forms.IntegerField(label=_("Leader (cadre record number)"), min_value=1)
    on = date_field(_("Date"))
    topic = forms.CharField(label=_("Topic"), max_length=300)
    participants = forms.IntegerField(label=_("Citizens taking part"), min_value=0, max_value=100000, initial=0)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    codes = forms.CharField(label=_("Matters (case codes, comma-separated)"), required=False, max_length=2000)
    hotspot_id = forms.IntegerField(label=_("Hot spot (number)"), required=False, min_value=1,
                                    help_text=_("When the dialogue answers a hot spot: its number on the hot-spot page."))


class DaySwapForm(forms.Form):
    day_off = date_field(_("Day off"))
    work_day = date_field(_("Make-up working day"), required=False)
    decision = forms.CharField(label=_("Decision"), required=False, max_length=200)


class RemoteImportForm(forms.Form):
    file = forms.FileField(label=_("Excel or CSV file"),
                           help_text=_("Columns: unit code, valid from, valid to (optional), decision (optional)."))


class DeadlineCalculatorForm(forms.Form):
    """The question of ``GET /api/petitions/deadline/`` on a page (nothing is stored)."""

    kind = forms.ChoiceField(label=_("Kind of matter"), choices=KINDS, initial=rules.COMPLAINT)
    round = forms.TypedChoiceField(label=_("Round"), choices=[(1, _("First")), (2, _("Second"))], coerce=int,
                                   initial=1)
    accepted = date_field(_("Accepted for settlement on"))
    complexity = forms.ChoiceField(label=_("Complexity"), choices=COMPLEXITIES, initial=rules.NORMAL)
    remote = forms.BooleanField(label=_("Remote, difficult area"), required=False)
    extensions = forms.TypedChoiceField(label=_("Extensions"), choices=[(0, "0"), (1, "1"), (2, "2")], coerce=int,
                                        initial=0)
    suspended_days = forms.IntegerField(label=_("Days suspended"), min_value=0, max_value=3650, initial=0,
                                        required=False)
