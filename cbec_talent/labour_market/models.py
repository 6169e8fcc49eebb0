"""Labour-market demand: imported job postings and what the demand engine found in them.

Each posting keeps what the engine found in one compact JSON field (``tags``: kind -> {code: evidence}); the
dashboard reads the pre-aggregated DemandCount rows that the import writes, never the million posting rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cbec_talent.competencies.models import Framework
from cbec_talent.core.models import TimeStampedModel
from cbec_talent.core.stored_text import shown

#: The texts an import's ``message`` column takes (labour_market.services), shown in the reader's language.
IMPORT_MESSAGES = (
    gettext_noop("%(n)d rows were rejected, so nothing was stored."),
    gettext_noop("Nothing was stored."),
    gettext_noop("%(n)d postings stored."),
    gettext_noop("Waiting to tag the postings again."),
    gettext_noop("Tagging again failed (%(err)s); the postings keep their previous tags."),
    gettext_noop("%(n)d postings tagged again with the keywords of %(f)s."),
    gettext_noop("Tagging the postings again with the keywords of %(f)s."),
    gettext_noop("Storing and tagging postings…"),
    gettext_noop("Checking rows…"),
)

#: Fields a file column can be mapped to; title is required.
TARGET_FIELDS = ("title", "company", "description", "location", "salary", "date", "source", "language")


class PostingImport(TimeStampedModel):
    class Status(models.TextChoices):
        MAPPING = "mapping", _("Waiting for the column mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file_name = models.CharField(_("File name"), max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    file_format = models.CharField(_("Format"), max_length=10)
    encoding = models.CharField(_("Encoding"), max_length=20, blank=True)
    size = models.PositiveBigIntegerField(_("Size (bytes)"), default=0)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.MAPPING)
    progress = models.FloatField(_("Progress"), default=0.0)
    #: A finished import whose postings are being tagged again (its figures stay readable until the new ones
    #: replace them in one transaction).
    retagging = models.BooleanField(_("Tagging again"), default=False)
    message = models.CharField(max_length=300, blank=True)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(_("Column mapping"), default=dict, blank=True)
    keep_good_rows = models.BooleanField(_("Keep the good rows"), default=False)
    rows_read = models.PositiveIntegerField(_("Rows read"), default=0)
    rows_stored = models.PositiveIntegerField(_("Postings stored"), default=0)
    rows_rejected = models.PositiveIntegerField(_("Rows rejected"), default=0)
    exact_duplicates = models.PositiveIntegerField(_("Exact duplicates"), default=0)
    near_duplicates = models.PositiveIntegerField(_("Near duplicates"), default=0)
    problems = models.JSONField(_("Problems"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("posting import")
        verbose_name_plural = _("posting imports")
        ordering = ["-created_at"]

    @property
    def message_shown(self) -> str:
        """``message`` in the reader's language."""
        return shown(self.message, IMPORT_MESSAGES)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED) and not self.retagging

    @property
    def percent(self) -> int:
        return round(100 * self.progress)


class Posting(models.Model):
    posting_import = models.ForeignKey(PostingImport, on_delete=models.CASCADE, related_name="postings")
    row = models.PositiveIntegerField(_("Row"))
    title = models.CharField(_("Title"), max_length=300)
    company = models.CharField(_("Company"), max_length=200, blank=True)
    description = models.TextField(_("Description"), blank=True)
    location = models.CharField(_("Location"), max_length=200, blank=True)
    city = models.CharField(_("City"), max_length=60, blank=True)
    salary = models.CharField(_("Salary"), max_length=100, blank=True)
    salary_min = models.FloatField(_("Monthly salary from"), null=True, blank=True)
    salary_max = models.FloatField(_("Monthly salary to"), null=True, blank=True)
    posted = models.DateField(_("Posted"), null=True, blank=True)
    month = models.CharField(_("Month"), max_length=7, blank=True)
    source = models.CharField(_("Source"), max_length=100, blank=True)
    language = models.CharField(_("Language"), max_length=20, blank=True)
    position = models.CharField(_("Position"), max_length=40, blank=True)
    hash = models.CharField(max_length=32)
    near_key = models.CharField(max_length=32)
    #: {kind: {code: evidence}} for the kinds in TAG_KINDS (city and month are the columns above).
    tags = models.JSONField(_("Tags"), default=dict, blank=True)

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["posting_import", "row"]
        indexes = [
            models.Index(fields=["hash"]),
            models.Index(fields=["near_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.company}"

    def codes(self, kind: str) -> set[str]:
        """The codes of one kind found in this posting (competency, position, occupation, platform, language,
        city, month)."""
        if kind == "city":
            return {self.city} if self.city else set()
        if kind == "month":
            return {self.month} if self.month else set()
        return set((self.tags or {}).get(kind, {}))


class Kind(models.TextChoices):
    """The dimensions postings are counted by."""

    COMPETENCY = "competency", _("Competency")
    POSITION = "position", _("Position")
    OCCUPATION = "occupation", _("Occupation (CSCO)")
    PLATFORM = "platform", _("Platform")
    LANGUAGE = "language", _("Foreign language")
    CITY = "city", _("City")
    MONTH = "month", _("Month")
    ESCO = "esco", _("ESCO skill")


#: The kinds kept in Posting.tags (city and month are columns of the posting).
TAG_KINDS = ("competency", "position", "occupation", "platform", "language", "esco")


class DemandCount(models.Model):
    """Pre-aggregated demand: how many postings of one import carry a code of one kind, per posting month
    ("" for postings without a month). Written by the import (and a re-tag) in the same transaction that marks
    the import done, so the dashboard sums a few thousand rows instead of scanning every posting."""

    Kind = Kind

    posting_import = models.ForeignKey(PostingImport, on_delete=models.CASCADE, related_name="demand_counts")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    code = models.CharField(max_length=60)
    month = models.CharField(max_length=7, blank=True)
    postings = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("demand count")
        verbose_name_plural = _("demand counts")
        constraints = [
            models.UniqueConstraint(fields=["posting_import", "kind", "code", "month"], name="uniq_demand_count")
        ]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code} {self.month} = {self.postings}"


class DemandAlertSetting(TimeStampedModel):
    """The director's settings of the demand-shift alerts (one row, pk=1)."""

    min_effect_percent = models.DecimalField(
        _("Minimum change worth an alert (percentage points)"), max_digits=5, decimal_places=2, default=5
    )
    alpha = models.DecimalField(
        _("False discovery rate (Benjamini-Hochberg)"), max_digits=4, decimal_places=3, default=0.05
    )
    email = models.BooleanField(_("Also send the alert by email"), default=True)

    class Meta:
        verbose_name = _("demand alert setting")
        verbose_name_plural = _("demand alert settings")

    def __str__(self) -> str:
        return f">= {self.min_effect_percent} pp, FDR {self.alpha}"


class DemandShiftAlert(TimeStampedModel):
    """Demand moved between the previous finished import and this one: the shifts found (engines.demand.shifts)
    and to whom the alert was e-mailed."""

    posting_import = models.ForeignKey(PostingImport, on_delete=models.CASCADE, related_name="shift_alerts")
    previous = models.ForeignKey(PostingImport, on_delete=models.CASCADE, related_name="+")
    before_total = models.PositiveIntegerField(default=0)
    now_total = models.PositiveIntegerField(default=0)
    min_effect_percent = models.FloatField(default=5.0)
    alpha = models.FloatField(default=0.05)
    tested = models.PositiveIntegerField(default=0)
    #: [{kind, code, before, now, share_before, share_now, change, z, p, q}] (shares and change in %)
    shifts = models.JSONField(default=list)
    emailed_to = models.JSONField(default=list, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("demand-shift alert")
        verbose_name_plural = _("demand-shift alerts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.posting_import} vs {self.previous}: {len(self.shifts)}"


class OccupationCorrection(TimeStampedModel):
    """A person's CSCO 2022 code for a job title: kept by the title's cleaned form (``key``, the occupation
    coder's TitleCleaner), so the next import codes the same title -- under any city, bracket or recruiting
    noise -- with it (the coder's corrections)."""

    key = models.CharField(_("Cleaned title"), max_length=300, unique=True)
    title = models.CharField(_("Title"), max_length=300)
    code = models.CharField(_("CSCO 2022 code"), max_length=60)
    previous_code = models.CharField(_("Code before"), max_length=60, blank=True)
    posting = models.ForeignKey(Posting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("occupation correction")
        verbose_name_plural = _("occupation corrections")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} -> {self.code}"
