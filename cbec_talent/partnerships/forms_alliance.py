from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Agreement


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    quota = forms.IntegerField(label=_("Quota"), min_value=1, max_value=10000, required=False)
    school_commitments = forms.CharField(
        label=_("School's commitments"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    enterprise_commitments = forms.CharField(
        label=_("Enterprise's commitments"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TutorsForm(forms.Form):
    tutors = forms.CharField(label=_("Enterprise tutors (usernames, comma-separated)"), required=False)

    def clean_tutors(self):
        text = self.cleaned_data["tutors"].replace("，", ",").replace("\n", ",")
        return [p.strip() for p in text.split(",") if p.strip()]
