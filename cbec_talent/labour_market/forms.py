from django import forms
from django.utils.translation import gettext_lazy as _

from cbec_talent.competencies.models import Framework

from .models import TARGET_FIELDS

FIELD_LABELS = {
    "title": _("Title (required)"),
    "company": _("Company"),
    "description": _("Description"),
    "location": _("Location"),
    "salary": _("Salary"),
    "date": _("Date posted"),
    "source": _("Source"),
    "language": _("Language"),
}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Posting file (CSV, TSV, Excel .xlsx or JSON Lines; UTF-8 or GBK)"))
    framework = forms.ModelChoiceField(
        label=_("Tag with the keywords of framework"), queryset=Framework.objects.order_by("code", "version")
    )


class MappingForm(forms.Form):
    keep_good_rows = forms.BooleanField(
        label=_("Keep the good rows (otherwise any rejected row stops the whole import)"), required=False
    )

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((h, h) for h in headers)]
        for name in TARGET_FIELDS:
            self.fields[f"map_{name}"] = forms.ChoiceField(label=FIELD_LABELS[name], choices=choices, required=False)
        self.order_fields([*(f"map_{n}" for n in TARGET_FIELDS), "keep_good_rows"])

    def mapping(self) -> dict[str, str]:
        return {t: self.cleaned_data.get(f"map_{t}") or "" for t in TARGET_FIELDS}


class AlertSettingForm(forms.Form):
    min_effect_percent = forms.DecimalField(
        label=_("Minimum change worth an alert (percentage points)"), max_digits=5, decimal_places=2
    )
    alpha = forms.DecimalField(label=_("False discovery rate (Benjamini-Hochberg)"), max_digits=4, decimal_places=3)
    email = forms.BooleanField(label=_("Also send the alert by email"), required=False)
