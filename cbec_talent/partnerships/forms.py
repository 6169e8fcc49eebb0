from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, InternshipPost


def _lines(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", ",").replace("\n", ",").split(",") if p.strip()]


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    size = forms.ChoiceField(label=_("Size"), choices=Enterprise.Size.choices)
    platforms = forms.CharField(label=_("Platforms sold on (comma-separated)"), required=False)
    markets = forms.CharField(label=_("Markets (comma-separated)"), required=False)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)

    def clean_platforms(self):
        return _lines(self.cleaned_data["platforms"])

    def clean_markets(self):
        return _lines(self.cleaned_data["markets"])


class PostForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.all())
    title = forms.CharField(label=_("Title"), max_length=200)
    position_code = forms.CharField(label=_("Position (framework code, e.g. POS.07)"), max_length=40, required=False)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)
    requirements = forms.CharField(
        label=_("Required competencies, one per line: CODE level (aware/apply/master)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    languages = forms.CharField(label=_("Languages (comma-separated)"), required=False)
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_requirements(self):
        out = {}
        for number, line in enumerate(self.cleaned_data["requirements"].splitlines(), start=1):
            parts = line.replace(":", " ").split()
            if not parts:
                continue
            if len(parts) != 2:
                raise forms.ValidationError(
                    _("Line %(n)d: write a code and a level, e.g. OPS.SERVICE apply.") % {"n": number}
                )
            out[parts[0]] = parts[1].lower()
        return out

    def clean_languages(self):
        return _lines(self.cleaned_data["languages"])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end is before the start."))
        return data


class ApplyForm(forms.Form):
    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(str(p.pk), str(p)) for p in posts]
        for i in range(1, 6):
            self.fields[f"p{i}"] = forms.ChoiceField(
                label=_("Preference %(n)d") % {"n": i}, choices=choices, required=False
            )
        self.posts = {str(p.pk): p for p in posts}

    def ranked_posts(self) -> list[InternshipPost]:
        return [self.posts[self.cleaned_data[f"p{i}"]] for i in range(1, 6) if self.cleaned_data.get(f"p{i}")]


class TutorsForm(forms.Form):
    school_tutor = forms.ModelChoiceField(label=_("School tutor"), queryset=None, required=False)
    enterprise_tutor = forms.ModelChoiceField(label=_("Enterprise tutor"), queryset=None, required=False)
    post = forms.ModelChoiceField(label=_("Move to another post (by hand)"), queryset=None, required=False)

    def __init__(self, *args, placement, **kwargs):
        from cbec_talent.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = InternshipPost.objects.select_related("enterprise").exclude(pk=placement.post_id)
        self.fields["school_tutor"].queryset = User.objects.filter(roles__role="teacher").order_by("username")
        self.fields["enterprise_tutor"].queryset = placement.post.enterprise.members.order_by("username")


class CheckInForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class WeeklyLogForm(forms.Form):
    week = forms.IntegerField(label=_("Week"), min_value=1, max_value=104)
    text = forms.CharField(label=_("Log"), widget=forms.Textarea(attrs={"rows": 4}))


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(forms.Form):
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    signed_off = forms.BooleanField(label=_("Sign off (final)"), required=False)


class GradeTransferForm(forms.Form):
    component = forms.ModelChoiceField(label=_("Course component"), queryset=None)

    def __init__(self, *args, placement, **kwargs):
        from cbec_talent.cohorts.models import AssessmentComponent

        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = AssessmentComponent.objects.filter(
            kind="enterprise_tutor", course__programme_id=placement.student.school_class.cohort.programme_id
        ).select_related("course")
