from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cbec_talent.programmes.models import Programme

from .models import KIND_CHOICES, METHOD_CHOICES, PERCENT


class CohortForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.order_by("code", "version"))
    intake_year = forms.IntegerField(label=_("Intake year"), min_value=1990, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=100)


class ClassForm(forms.Form):
    name = forms.CharField(label=_("Class"), max_length=100)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class CollegeRuleForm(forms.Form):
    min_practice_percent = forms.DecimalField(
        label=_("Practice counts at least (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    max_component_percent = forms.DecimalField(
        label=_("No single component above (%)"), max_digits=5, decimal_places=2, validators=PERCENT, required=False
    )


class SettingForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=METHOD_CHOICES)
    target_percent = forms.DecimalField(
        label=_("Attainment target (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    threshold_percent = forms.DecimalField(
        label=_("Threshold for the share method (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    risk_percent = forms.DecimalField(label=_("At risk below (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    stage_threshold_percent = forms.DecimalField(
        label=_("Next five-in-one stage opens at (%)"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        required=False,
    )


class StageOpenForm(forms.Form):
    stage = forms.ChoiceField(label=_("Five-in-one stage"), choices=[])
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cbec_talent.programmes.models import Course

        self.fields["stage"].choices = Course.Stage.choices[1:]


class ComponentForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, required=False)
    weight = forms.DecimalField(label=_("Weight (%)"), max_digits=6, decimal_places=2, required=False, min_value=0)
    competencies = forms.CharField(label=_("Competencies evidenced"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("code"):
            if not data.get("kind"):
                self.add_error("kind", _("Choose a kind."))
            if data.get("weight") is None:
                self.add_error("weight", _("Enter a weight."))
        data["competencies"] = [c for c in re.split(r"[,，\s]+", data.get("competencies") or "") if c]
        return data


ComponentFormSet = forms.formset_factory(ComponentForm, extra=2, max_num=20)
