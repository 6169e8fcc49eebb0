from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class FrameworkImportForm(forms.Form):
    file = forms.FileField(label=_("File (YAML, JSON or Excel .xlsx)"))
    version = forms.CharField(
        label=_("Version (leave blank to use the version in the file)"), max_length=40, required=False
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = f.name.lower()
        if not name.endswith((".yaml", ".yml", ".json", ".xlsx")):
            raise forms.ValidationError(_("Only .yaml, .yml, .json or .xlsx files are accepted."))
        if f.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (the limit is %(mb)d MB).") % {"mb": settings.UPLOAD_MAX_BYTES // 1048576}
            )
        return f


class FrameworkCopyForm(forms.Form):
    version = forms.CharField(label=_("New version"), max_length=40)


class CompetencyForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200)
    descriptor_zh = forms.CharField(
        label=_("Chinese description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    descriptor_en = forms.CharField(
        label=_("English description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    keywords_zh = forms.CharField(
        label=_("Chinese keywords (one per line)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    keywords_en = forms.CharField(
        label=_("English keywords (one per line)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
