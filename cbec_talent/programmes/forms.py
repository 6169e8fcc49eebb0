from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cbec_talent.competencies.models import Framework

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


class ProgrammeImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx), in the format that “Export Excel” produces"))
    framework = forms.ModelChoiceField(
        label=_("Competency framework for the course-competency links and target positions"),
        queryset=Framework.objects.order_by("-is_reference", "code", "version"),
        required=False,
        empty_label=_("None"),
    )
    version = forms.CharField(
        label=_("Version (leave blank to use the version in the file)"), max_length=40, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reference = Framework.objects.filter(is_reference=True).order_by("-pk").first()
        if reference is not None:
            self.fields["framework"].initial = reference.pk

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Only Excel .xlsx files are accepted."))
        if f.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (the limit is %(mb)d MB).") % {"mb": settings.UPLOAD_MAX_BYTES // 1048576}
            )
        return f


class NewCourseForm(CourseForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200)
    module = forms.ModelChoiceField(label=_("Course module"), queryset=None)
    field_order = ["code", "name_zh", "name_en", "module"]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = programme.modules.order_by("order")


class EditCourseForm(CourseForm):
    """CourseForm with the programme version the editor opened (optimistic locking; see services.course_update)."""

    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
