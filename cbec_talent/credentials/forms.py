from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import IssuedCredential

MAX_BYTES = 512 * 1024


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Credential file (.json)"), required=False)
    text = forms.CharField(
        label=_("…or paste the credential JSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 512 KB."))
            raw = upload.read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not text:
            raise forms.ValidationError(_("Upload a credential file or paste its JSON."))
        if len(text.encode("utf-8")) > MAX_BYTES:
            raise forms.ValidationError(_("The credential is larger than 512 KB."))
        data["json_text"] = text
        return data


class IssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IssuedCredential.Kind.choices)
    competency = forms.CharField(label=_("Competency"), max_length=40, required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
