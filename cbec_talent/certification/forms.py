from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cbec_talent.competencies.models import Certificate


class HeldCertificateForm(forms.Form):
    certificate = forms.ModelChoiceField(
        queryset=Certificate.objects.none(), required=False, label=_("Framework certificate")
    )
    catalogue = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Catalogue certificate (1+X, group standard, ...)")
    )
    name = forms.CharField(label=_("Vocational skill certificate"), max_length=200, required=False)
    level = forms.CharField(label=_("Level"), max_length=60, required=False)
    obtained = forms.DateField(label=_("Date obtained"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label=_("Evidence"), max_length=300, required=False)

    def __init__(self, *args, certificates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if certificates is not None:
            self.fields["certificate"].queryset = certificates
        from .models import CatalogueCertificate

        self.fields["catalogue"].queryset = CatalogueCertificate.objects.all()


class PracticeForm(forms.Form):
    school_signed = forms.BooleanField(label=_("Certified by the school"), required=False)
    enterprise_signed = forms.BooleanField(label=_("Certified by the enterprise"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class CatalogueCertificateForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    organisation_zh = forms.CharField(label=_("Issuing or evaluation organisation (Chinese)"), max_length=200,
                                      required=False)
    organisation_en = forms.CharField(label=_("Issuing or evaluation organisation (English)"), max_length=200,
                                      required=False)
    standard = forms.CharField(label=_("Standard"), max_length=200, required=False)
    levels = forms.CharField(label=_("Levels (separated by /)"), max_length=300)
    detail_note = forms.CharField(label=_("Note on sources"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import CatalogueCertificate

        self.fields["kind"].choices = CatalogueCertificate.Kind.choices


class CatalogueModuleForm(forms.Form):
    code = forms.CharField(label=_("Module code"), max_length=40)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    levels = forms.CharField(label=_("Levels (separated by /)"), max_length=300)
    competencies = forms.CharField(label=_("Competencies (framework codes, comma-separated)"), max_length=500)
    from_standard = forms.BooleanField(label=_("From the standard's text"), required=False)


class CreditRequestForm(forms.Form):
    course = forms.ModelChoiceField(queryset=None, label=_("Course"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        from cbec_talent.programmes.models import Course

        self.fields["course"].queryset = Course.objects.filter(pk__in=[c.pk for c in courses])


class ModuleCourseForm(forms.Form):
    module = forms.ModelChoiceField(queryset=None, label=_("Certificate module"))
    course = forms.ModelChoiceField(queryset=None, label=_("Course"))
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=2000)

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import CatalogueModule

        self.fields["module"].queryset = CatalogueModule.objects.select_related("certificate")
        self.fields["module"].label_from_instance = lambda m: f"{m.certificate.code} · {m.code} {m.name}"
        self.fields["course"].queryset = programme.courses.order_by("order") if programme else None
        self.fields["course"].label_from_instance = lambda c: f"{c.code} {c.name}"
