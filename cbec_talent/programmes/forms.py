from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Course

STRENGTHS = {"H", "M", "L"}


class CourseForm(forms.Form):
    credits = forms.DecimalField(label=_("Credits"), min_value=0, max_value=60, decimal_places=2)
    theory_hours = forms.IntegerField(label=_("Theory hours"), min_value=0, max_value=2000)
    practice_hours = forms.IntegerField(label=_("Practice hours"), min_value=0, max_value=2000)
    semesters = forms.CharField(label=_("Semesters (e.g. 3 or 3,4)"), max_length=60)
    required = forms.BooleanField(label=_("Required"), required=False)
    prerequisites = forms.CharField(
        label=_("Prerequisites (course codes, comma-separated)"), max_length=300, required=False
    )
    teaching_mode = forms.ChoiceField(label=_("Teaching mode"), choices=Course.Mode.choices)
    stage = forms.ChoiceField(label=_("Five-in-one stage"), choices=Course.Stage.choices)
    supports = forms.CharField(
        label=_("Supported competencies, one per line: CODE H/M/L"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_semesters(self):
        parts = [p.strip() for p in self.cleaned_data["semesters"].replace("，", ",").split(",") if p.strip()]
        try:
            values = sorted({int(p) for p in parts})
        except ValueError:
            raise forms.ValidationError(_("Semesters are whole numbers separated by commas.")) from None
        if not values or values[0] < 1:
            raise forms.ValidationError(_("Give at least one semester, counting from 1."))
        return values

    def clean_prerequisites(self):
        text = self.cleaned_data["prerequisites"].replace("，", ",")
        return [p.strip() for p in text.split(",") if p.strip()]

    def clean_supports(self):
        out = {}
        for number, line in enumerate(self.cleaned_data["supports"].splitlines(), start=1):
            parts = line.replace(":", " ").split()
            if not parts:
                continue
            if len(parts) != 2 or parts[1].upper() not in STRENGTHS:
                raise forms.ValidationError(
                    _("Line %(n)d: write a competency code and H, M or L, e.g. LANG.EN H.") % {"n": number}
                )
            out[parts[0]] = parts[1].upper()
        return out
