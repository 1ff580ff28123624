"""Forms of the inspection pages (shape only: the services validate and write)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.cadres.models import Cadre
from tinhgon.core.forms import date_field
from tinhgon.core.scoping import restrict

from .models import Finding, Inspection, InspectionPlan, Measure, Recommendation

CANDIDATES = 400  # people offered in a list (the inspected unit's)
DOCUMENTS = 300   # the latest documents of the user's scopes offered for a link


def unit_of(code: str):
    code = (code or "").strip()
    if not code:
        return None
    unit = unit_for_code(code, timezone.localdate()) or unit_for_code(code)
    if unit is None:
        raise forms.ValidationError(_("No unit has the code %(code)s.") % {"code": code}, code="unknown_unit")
    return unit


def cadre_choice(label, *, required=False, help_text=""):
    field = forms.ModelChoiceField(label=label, queryset=Cadre.objects.none(), required=required, help_text=help_text)
    field.label_from_instance = lambda c: f"{c.full_name} — {c.current_title or ''} {c.unit.name if c.unit_id else ''}"
    return field


def people_of(user, unit, *extra):
    """Cadres of ``unit``'s parent subtree (the inspected organization sits inside it) the user reaches."""
    if unit is None:
        return Cadre.objects.none()
    base = unit.path.rstrip("/").rsplit("/", 1)[0] + "/" if unit.parent_code else unit.path
    ids = list(restrict(Cadre.objects.filter(unit_path__startswith=base), user).order_by("full_name", "id")
               .values_list("pk", flat=True)[:CANDIDATES])
    ids += [c.pk for c in extra if c is not None]
    return Cadre.objects.filter(pk__in=ids).select_related("unit").order_by("full_name", "id")


class PlanForm(forms.Form):
    commission_code = forms.CharField(label=_("Inspection commission (unit code)"), max_length=40)
    year = forms.IntegerField(label=_("Year"), min_value=1945, max_value=9999)
    title = forms.CharField(label=pgettext_lazy("inspection", "Title"), max_length=300)
    themes = forms.CharField(label=_("Themes"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("One theme per line."))
    period_start = date_field(_("Period from"))
    period_end = date_field(_("Period to"))
    team = forms.ModelMultipleChoiceField(label=_("Team"), queryset=Cadre.objects.none(), required=False,
                                          widget=forms.CheckboxSelectMultiple,
                                          help_text=_("Cadres of the commission."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    wide_fields = ("title", "themes", "note")

    def __init__(self, *args, user, plan: InspectionPlan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        team = Cadre.objects.none()
        if plan is not None:
            team = restrict(Cadre.objects.filter(unit_path__startswith=plan.commission_path), user)
            team = (team | plan.team.all()).distinct()
            self.fields["commission_code"].disabled = True
        else:
            del self.fields["team"]
        if "team" in self.fields:
            self.fields["team"].queryset = team.order_by("full_name", "id")
            self.fields["team"].label_from_instance = lambda c: f"{c.full_name} — {c.current_title}"

    def clean_commission_code(self):
        return unit_of(self.cleaned_data["commission_code"])


class InspectionForm(forms.Form):
    activity = forms.ChoiceField(label=_("Activity"), choices=Inspection.ACTIVITIES)
    kind = forms.ChoiceField(label=pgettext_lazy("inspection", "Kind"), choices=Inspection.KINDS)
    title = forms.CharField(label=pgettext_lazy("inspection", "Title"), max_length=300)
    commission_code = forms.CharField(label=_("Inspection commission (unit code)"), max_length=40, required=False,
                                      help_text=_("Default: the plan's commission."))
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=InspectionPlan.objects.none(), required=False)
    subject_code = forms.CharField(label=_("Inspected party organization (unit code)"), max_length=40,
                                   required=False, help_text=_("Default: the unit of the party member below."))
    subject_citizen_id = forms.CharField(label=_("Inspected party member (citizen ID)"), max_length=12,
                                         required=False, help_text=_("Leave empty to inspect the organization."))
    start = date_field(_("Start"))
    end = date_field(_("Planned end"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    wide_fields = ("title", "note")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["plan"].queryset = restrict(InspectionPlan.objects.all(), user, "inspect").order_by("-year", "id")

    def clean_commission_code(self):
        return unit_of(self.cleaned_data["commission_code"])

    def clean_subject_code(self):
        return unit_of(self.cleaned_data["subject_code"])

    def clean_subject_citizen_id(self):
        cid = (self.cleaned_data["subject_citizen_id"] or "").strip()
        if not cid:
            return None
        cadre = restrict(Cadre.objects.filter(citizen_id=cid), self.user).select_related("unit").first()
        if cadre is None:
            raise forms.ValidationError(_("No cadre in your scope has this citizen ID."))
        return cadre

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        return {"activity": d["activity"], "kind": d["kind"], "title": d["title"], "commission": d["commission_code"],
                "plan": d["plan"], "subject_unit": d["subject_code"], "subject_cadre": d["subject_citizen_id"],
                "start": d["start"], "end": d["end"], "note": d["note"]}


FIELD_MAP = {"commission": "commission_code", "subject_unit": "subject_code", "subject_cadre": "subject_citizen_id"}


class DateForm(forms.Form):
    on = date_field(_("Date"))


class ConcludeForm(forms.Form):
    on = date_field(_("Concluded on"))
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 5}))
    violation = forms.BooleanField(label=_("Violations found"), required=False)
    document = forms.ModelChoiceField(label=_("Conclusion document (registry)"), queryset=None, required=False)
    wide_fields = ("conclusion",)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        set_documents(self.fields["document"], user)


def set_documents(field, user) -> None:
    from tinhgon.documents.models import Document

    ids = list(restrict(Document.objects.all(), user).order_by("-id").values_list("pk", flat=True)[:DOCUMENTS])
    field.queryset = Document.objects.filter(pk__in=ids).order_by("-id")
    field.label_from_instance = lambda d: f"{d.symbol} — {d.title}"[:160]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    severity = forms.ChoiceField(label=_("Severity"), choices=Finding.SEVERITIES)
    found_on = date_field(_("Found on"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    wide_fields = ("topic", "description")


class MeasureForm(forms.Form):
    cadre = cadre_choice(_("Party member"), help_text=_("Leave empty for a measure on the organization itself."))
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.MEASURES)
    act_date = date_field(_("Date of the violation"))
    decision_date = date_field(_("Decision date"))
    effective_date = date_field(_("Effective date"), required=False, help_text=_("Default: the decision date."))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    document = forms.ModelChoiceField(label=_("Decision (documents registry)"), queryset=None, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    wide_fields = ("reason",)

    def __init__(self, *args, user, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = people_of(user, inspection.subject_unit, inspection.subject_cadre)
        set_documents(self.fields["document"], user)


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    owner_code = forms.CharField(label=_("Owner unit (code)"), max_length=40, required=False)
    owner_cadre = cadre_choice(_("Owner (person)"))
    due = date_field(_("Deadline"))
    wide_fields = ("text",)

    def __init__(self, *args, user, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_cadre"].queryset = people_of(user, inspection.subject_unit, inspection.subject_cadre)

    def clean_owner_code(self):
        return unit_of(self.cleaned_data["owner_code"])


class ReportForm(forms.Form):
    status = forms.ChoiceField(label=_("Result"), choices=[(Recommendation.DONE, _("Done")),
                                                           (Recommendation.CANCELLED, _("Cancelled"))])
    on = date_field(_("Date"))
    result = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
