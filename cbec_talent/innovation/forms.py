from django import forms
from django.utils.translation import gettext_lazy as _

from cbec_talent.cohorts.models import SchoolClass, Student

from .models import Competition, Entry, Project


def _users_with_role(role: str):
    from cbec_talent.accounts.models import User

    return User.objects.filter(roles__role=role).distinct().order_by("username")


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds"))] + Project.Kind.choices, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses"))] + Project.Status.choices, required=False
    )
    competency = forms.ChoiceField(label=_("Competency needed"), required=False)

    def __init__(self, *args, names: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [("", _("Any competency"))] + [
            (code, f"{code} {name}") for code, name in sorted(names.items())
        ]


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Project.Kind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    competencies = forms.MultipleChoiceField(
        label=_("Competencies needed"), widget=forms.SelectMultiple(attrs={"size": 8}), required=False
    )
    team_size = forms.IntegerField(label=_("Team size (at most)"), min_value=1, max_value=12, initial=5)
    enterprise = forms.ModelChoiceField(label=_("Source enterprise"), queryset=None, required=False)
    school_mentors = forms.ModelMultipleChoiceField(label=_("School mentors"), queryset=None, required=False)
    enterprise_mentors = forms.ModelMultipleChoiceField(label=_("Enterprise mentors"), queryset=None, required=False)

    def __init__(self, *args, names: dict[str, str], **kwargs):
        from cbec_talent.partnerships.models import Enterprise

        super().__init__(*args, **kwargs)
        self.fields["competencies"].choices = [(code, f"{code} {name}") for code, name in sorted(names.items())]
        self.fields["enterprise"].queryset = Enterprise.objects.order_by("name")
        self.fields["school_mentors"].queryset = _users_with_role("teacher")
        self.fields["enterprise_mentors"].queryset = _users_with_role("enterprise_tutor")

    @staticmethod
    def initial_for(project: Project) -> dict:
        return {
            "title": project.title,
            "description": project.description,
            "kind": project.kind,
            "status": project.status,
            "competencies": project.competencies,
            "team_size": project.team_size,
            "enterprise": project.enterprise_id,
            "school_mentors": list(project.school_mentors.all()),
            "enterprise_mentors": list(project.enterprise_mentors.all()),
        }


class TeamForm(forms.Form):
    """A student creates a team (they are its first member); staff name the members by student number."""

    name = forms.CharField(label=_("Team name"), max_length=100)
    members = forms.CharField(
        label=_("Members (student numbers, comma-separated)"), required=False, widget=forms.TextInput()
    )

    def clean_members(self):
        numbers = [
            n.strip()
            for n in self.cleaned_data["members"].replace("，", ",").replace("\n", ",").split(",")
            if n.strip()
        ]
        found = {s.number: s for s in Student.objects.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(_("Unknown student number: %(v)s") % {"v": ", ".join(missing)})
        return [found[n] for n in numbers]


class SuggestForm(forms.Form):
    k = forms.IntegerField(label=_("Team size"), min_value=1, max_value=12, initial=3)
    school_class = forms.ModelChoiceField(
        label=_("Only students of class"), queryset=SchoolClass.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = SchoolClass.objects.select_related("cohort").order_by("name")


class MemberForm(forms.Form):
    student = forms.ModelChoiceField(label=_("Student"), queryset=Student.objects.all(), to_field_name="number")


class CompetitionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Competition.Level.choices)
    organiser = forms.CharField(label=_("Organiser"), max_length=200, required=False)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EntryForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)

    def __init__(self, *args, **kwargs):
        from .models import Team

        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.select_related("project").order_by("project__title", "name")


class ResultForm(forms.Form):
    award = forms.ChoiceField(label=_("Award"), choices=[("", "—")] + Entry.Award.choices, required=False)
    rank = forms.IntegerField(label=_("Rank"), min_value=1, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
