from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cbec_talent.core.errors import CbecError, Problem

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


def parse_ranking(data) -> tuple[dict[int, int | None], set[int]]:
    """The post page's ranking form: fields ``rank_<application id>`` (blank = not ranked) and
    ``declined_<application id>`` -> ({application id: rank or None}, {declined application ids})."""
    ranks, declined, bad = {}, set(), []
    for key, value in data.items():
        if key.startswith("rank_") and key[5:].isdigit():
            value = value.strip()
            if value and not value.isdigit():
                bad.append(value)
            ranks[int(key[5:])] = int(value) if value.isdigit() else None
        elif key.startswith("declined_") and key[9:].isdigit() and value:
            declined.add(int(key[9:]))
    if bad:
        message = gettext("A rank is a whole number: %(v)s") % {"v": ", ".join(bad)}
        raise CbecError([Problem(message, field="ranking")])
    return ranks, declined
