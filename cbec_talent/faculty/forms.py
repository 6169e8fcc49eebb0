from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cbec_talent.accounts.models import User
from cbec_talent.partnerships.models import Enterprise
from cbec_talent.programmes.models import Course

from .models import PracticeRecord, Qualification, Teacher, TrainingRecord

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CourseChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.programme.code} · {obj.code} {obj.name}"


class ServiceValidated:
    """Model validation runs in the service (which reports its problems back onto the form), not twice."""

    def _post_clean(self):
        pass


class TeacherForm(ServiceValidated, forms.ModelForm):
    """The fields of a profile; saving goes through services.teacher_create / teacher_update."""

    courses = CourseChoice(
        queryset=Course.objects.select_related("programme").order_by("programme__code", "programme__version", "order"),
        required=False,
        label=_("Courses taught"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    class Meta:
        model = Teacher
        fields = ["number", "name", "kind", "enterprise", "user", "title", "expertise", "courses"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(roles__role__in=("teacher", "enterprise_tutor")).distinct().order_by("username")
        )
        self.fields["enterprise"].queryset = Enterprise.objects.order_by("name")
        self.fields["enterprise"].help_text = _("Only for an enterprise part-time teacher.")
        self.fields["user"].help_text = _(
            "Optional. A school teacher's login holds the teacher role; an enterprise part-time teacher's login "
            "holds the enterprise tutor role."
        )


class TrainingForm(ServiceValidated, forms.ModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["name", "provider", "start", "end", "hours", "certificate"]
        widgets = {"start": DATE, "end": DATE}


class PracticeForm(ServiceValidated, forms.ModelForm):
    class Meta:
        model = PracticeRecord
        fields = ["enterprise", "enterprise_name", "start", "end", "hours", "work"]
        widgets = {"start": DATE, "end": DATE, "work": forms.Textarea(attrs={"rows": 3})}


class QualificationForm(ServiceValidated, forms.ModelForm):
    class Meta:
        model = Qualification
        fields = ["kind", "name", "issuer", "level", "obtained", "valid_until", "relevant"]
        widgets = {"obtained": DATE, "valid_until": DATE}


ENTRY_FORMS = {"training": TrainingForm, "practice": PracticeForm, "qualification": QualificationForm}


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of teacher"), required=False, choices=[("", _("All"))] + list(Teacher.Kind.choices)
    )
    dual = forms.ChoiceField(
        label=_("Dual-qualified"), required=False, choices=[("", _("All")), ("yes", _("yes")), ("no", _("no"))]
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
