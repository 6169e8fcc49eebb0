from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_TARGETS, RealStore


class StoreForm(forms.Form):
    student = forms.ModelChoiceField(queryset=None, label=_("Student"))
    platform = forms.ChoiceField(label=_("Platform"), choices=RealStore.Platform.choices)
    name = forms.CharField(label=_("Store name"), max_length=200)
    tutor = forms.ModelChoiceField(queryset=None, label=_("Enterprise tutor (co-signs)"))
    component = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Assessment component the figures evidence")
    )
    orders = forms.FloatField(label=_("Target orders a week"), initial=DEFAULT_TARGETS["orders"], min_value=0.01)
    sales = forms.FloatField(label=_("Target sales a week"), initial=DEFAULT_TARGETS["sales"], min_value=0.01)
    conversion = forms.FloatField(
        label=_("Target conversion rate (%)"), initial=DEFAULT_TARGETS["conversion"], min_value=0.01
    )
    rating = forms.FloatField(label=_("Target rating"), initial=DEFAULT_TARGETS["rating"], min_value=0.01)
    dispute_rate = forms.FloatField(
        label=_("Highest acceptable dispute rate (%)"), initial=DEFAULT_TARGETS["dispute_rate"], min_value=0.01
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from cbec_talent.cohorts.models import AssessmentComponent, Student

        self.fields["student"].queryset = Student.objects.order_by("number")
        self.fields["tutor"].queryset = get_user_model().objects.filter(roles__role="enterprise_tutor").distinct()
        self.fields["component"].queryset = AssessmentComponent.objects.select_related("course").order_by(
            "course__order", "order"
        )


class WeekForm(forms.Form):
    week_start = forms.DateField(label=_("Week starting (Monday)"), widget=forms.DateInput(attrs={"type": "date"}))
    orders = forms.IntegerField(label=_("Orders"), min_value=0)
    sales = forms.DecimalField(label=_("Sales"), min_value=0, max_digits=12, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    sessions = forms.IntegerField(label=_("Sessions (visitors)"), min_value=0, required=False)
    conversion_rate = forms.DecimalField(label=_("Conversion rate (%)"), min_value=0, max_value=100, required=False)
    rating = forms.DecimalField(label=_("Rating (0-5)"), min_value=0, max_value=5)
    disputes = forms.IntegerField(label=_("Disputes"), min_value=0)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Weekly report (.csv or .xlsx)"))


class CosignForm(forms.Form):
    note = forms.CharField(label=_("Tutor's note"), max_length=300, required=False)
