"""Forms of the assessment pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LEVELS, Cycle


class CycleForm(forms.Form):
    unit = forms.CharField(label=_("Scope unit (code)"), max_length=60,
                           help_text=_("The unit whose people (its subtree included) are assessed, e.g. 00001."))
    period = forms.CharField(label=_("Period"), max_length=10,
                             help_text=_("2026-Q1 for a quarter, 2025 for a year."))
    audience = forms.ChoiceField(label=_("Assessed as"), choices=Cycle.AUDIENCES, initial=Cycle.PERSONS)
    label = forms.CharField(label=_("Label"), max_length=200, required=False,
                            help_text=_("Empty: named after the period and the unit."))


class SelfAssessmentForm(forms.Form):
    text = forms.CharField(label=_("Self-assessment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)
    level = forms.ChoiceField(label=_("Self-proposed level"), choices=[("", "—")] + list(LEVELS), required=False)


class ReviewForm(forms.Form):
    general_points = forms.CharField(label=_("General criteria points (out of 30)"), max_length=10, required=False)
    remarks = forms.CharField(label=_("Reviewer's remarks"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=4000)


class CouncilForm(forms.Form):
    remarks = forms.CharField(label=_("Council's remarks"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=4000)


class GroupForm(forms.Form):
    group = forms.CharField(label=_("Group with similar tasks"), max_length=120, required=False,
                            help_text=_("The cap applies within each body and group. Empty: the whole body."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class OverrideForm(forms.Form):
    ratio = forms.DecimalField(label=_("Share of excellent allowed (of those rated good)"), min_value=0, max_value=1,
                               decimal_places=2, required=False, help_text=_("e.g. 0.30; empty removes the override."))
    decision = forms.CharField(label=_("Decision allowing it"), max_length=200, required=False)
