"""Competency frameworks: areas, competencies (stable codes), levels, positions, directions, certificates,
and the standard occupation taxonomies kept beside them (CSCO 2022, ESCO)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cbec_talent.core.models import BilingualNameMixin, TimeStampedModel


class Framework(BilingualNameMixin, TimeStampedModel):
    code = models.CharField(_("Code"), max_length=40)
    version = models.CharField(_("Version"), max_length=40)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    descriptor_zh = models.TextField(_("Chinese description"), blank=True)
    descriptor_en = models.TextField(_("English description"), blank=True)
    is_reference = models.BooleanField(_("Reference framework"), default=False)
    sources = models.JSONField(_("Sources"), default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        ordering = ["code", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_framework_version")]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"


class ProficiencyLevel(BilingualNameMixin, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    code = models.CharField(_("Code"), max_length=20)
    rank = models.PositiveSmallIntegerField(_("Rank"))
    name_zh = models.CharField(max_length=50)
    name_en = models.CharField(max_length=50)
    descriptor_zh = models.TextField(blank=True)
    descriptor_en = models.TextField(blank=True)

    class Meta:
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        ordering = ["framework", "rank"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="uniq_level_code")]

    def __str__(self) -> str:
        return self.name


class Area(BilingualNameMixin, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("Code"), max_length=40)
    order = models.PositiveIntegerField(default=0)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    descriptor_zh = models.TextField(blank=True)
    descriptor_en = models.TextField(blank=True)

    class Meta:
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="uniq_area_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Competency(BilingualNameMixin, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField(_("Code"), max_length=40)
    order = models.PositiveIntegerField(default=0)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    descriptor_zh = models.TextField(blank=True)
    descriptor_en = models.TextField(blank=True)
    keywords_zh = models.JSONField(_("Chinese keywords"), default=list, blank=True)
    keywords_en = models.JSONField(_("English keywords"), default=list, blank=True)
    sources = models.JSONField(_("Sources"), default=list, blank=True)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="uniq_competency_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Direction(BilingualNameMixin, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="directions")
    code = models.CharField(_("Code"), max_length=40)
    order = models.PositiveIntegerField(default=0)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("career direction")
        verbose_name_plural = _("career directions")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="uniq_direction_code")]

    def __str__(self) -> str:
        return self.name


class DegreeLevel(BilingualNameMixin, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="degree_levels")
    code = models.CharField(_("Code"), max_length=40)
    order = models.PositiveIntegerField(default=0)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="uniq_degree_code")]

    def __str__(self) -> str:
        return self.name


class Position(BilingualNameMixin, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="positions")
    code = models.CharField(_("Code"), max_length=40)
    order = models.PositiveIntegerField(default=0)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    source = models.CharField(_("Source"), max_length=100, blank=True)
    source_title = models.CharField(_("Original title"), max_length=300, blank=True)
    merged = models.JSONField(_("Merged positions"), default=list, blank=True)
    directions = models.ManyToManyField(Direction, blank=True, related_name="positions")
    keywords_zh = models.JSONField(_("Chinese keywords"), default=list, blank=True)
    keywords_en = models.JSONField(_("English keywords"), default=list, blank=True)
    csco_codes = models.JSONField(_("Occupation classification codes"), default=list, blank=True)
    esco_uris = models.JSONField(_("ESCO occupations"), default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="uniq_position_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Requirement(models.Model):
    """One ability requirement of a position (paper 003 Table II), linked to competencies with a level."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveIntegerField(default=0)
    text_zh = models.TextField()
    text_en = models.TextField()

    class Meta:
        verbose_name = _("competency requirement")
        verbose_name_plural = _("competency requirements")
        ordering = ["position", "order"]

    def __str__(self) -> str:
        return f"{self.position.code}.{self.order}"

    @property
    def text(self) -> str:
        from cbec_talent.core.models import pick_language

        return pick_language(self.text_zh, self.text_en)


class RequirementCompetency(models.Model):
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="links")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="requirement_links")
    level = models.ForeignKey(ProficiencyLevel, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("requirement-competency link")
        verbose_name_plural = _("requirement-competency links")
        ordering = ["requirement", "order"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "competency"], name="uniq_requirement_competency")
        ]

    def __str__(self) -> str:
        return f"{self.requirement} -> {self.competency.code}"


class TableCell(BilingualNameMixin, models.Model):
    """Paper 003 Table I: a direction x degree cell naming positions."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="table_cells")
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="+")
    degree = models.ForeignKey(DegreeLevel, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField(default=0)
    text_zh = models.TextField()
    text_en = models.TextField()
    position_codes = models.JSONField(default=list)

    class Meta:
        verbose_name = _("direction-by-education position entry")
        verbose_name_plural = _("direction-by-education position entries")
        ordering = ["framework", "order"]

    def __str__(self) -> str:
        return f"{self.direction.code}/{self.degree.code}"


class Certificate(BilingualNameMixin, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="certificates")
    code = models.CharField(_("Code"), max_length=40)
    order = models.PositiveIntegerField(default=0)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    degree = models.ForeignKey(DegreeLevel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="uniq_certificate_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CertificateCourse(BilingualNameMixin, models.Model):
    """Paper 003 Table III: certificate level x direction -> courses, in the table's order."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="courses")
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField(default=0)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("certificate course")
        verbose_name_plural = _("certificate courses")
        ordering = ["certificate", "direction__order", "order"]

    def __str__(self) -> str:
        return self.name


class Occupation(models.Model):
    """An occupation of a standard taxonomy kept beside our framework (CSCO 2022, ESCO)."""

    class Taxonomy(models.TextChoices):
        CSCO2022 = "csco2022", _("Occupational Classification Dictionary of China 2022")
        ESCO = "esco", _("ESCO")

    taxonomy = models.CharField(max_length=20, choices=Taxonomy.choices)
    code = models.CharField(max_length=255)
    level = models.PositiveSmallIntegerField(default=0)
    parent_code = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    alt_labels = models.TextField(blank=True)
    isco_group = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["taxonomy", "code"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="uniq_occupation_code")]
        indexes = [models.Index(fields=["taxonomy", "name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TaxonomySkill(models.Model):
    """A skill of a standard taxonomy (ESCO skills), kept for search and crosswalks beside our competencies."""

    taxonomy = models.CharField(max_length=20, default="esco")
    code = models.CharField(max_length=255)
    text = models.TextField(help_text=_("Preferred label, alternative labels and description as published"))

    class Meta:
        verbose_name = _("taxonomy skill")
        verbose_name_plural = _("taxonomy skills")
        ordering = ["taxonomy", "code"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="uniq_taxonomy_skill")]

    def __str__(self) -> str:
        return self.text[:80]
