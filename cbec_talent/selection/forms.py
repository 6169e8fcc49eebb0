"""Forms of class selection: a new selection, and its name, quota and weights."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cbec_talent.partnerships.models import Agreement

from .models import ClassSelection


class SelectionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ClassSelection.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Name of the selection"), max_length=200)
    agreement = forms.ModelChoiceField(
        label=gettext_lazy("Order-class agreement"),
        queryset=Agreement.objects.filter(kind=Agreement.Kind.ORDER_CLASS).select_related("enterprise"),
        required=False,
        help_text=gettext_lazy("Required for an order class; its quota is the default."),
    )
    quota = forms.IntegerField(label=gettext_lazy("Quota"), min_value=0, required=False)


class SettingsForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Name of the selection"), max_length=200)
    quota = forms.IntegerField(label=gettext_lazy("Quota"), min_value=0)

    def __init__(self, *args, selection: ClassSelection, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = selection.labelled_criteria()
        for c in self.criteria:
            self.fields[f"w_{c['code']}"] = forms.FloatField(
                label=_("Weight of %(criterion)s (%%)") % {"criterion": c["label"]}, min_value=0, max_value=100
            )

    def weights(self) -> dict[str, float]:
        return {c["code"]: self.cleaned_data[f"w_{c['code']}"] for c in self.criteria}
