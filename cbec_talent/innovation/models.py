"""The creating space (众创空间, paper 003 part D): a project library, teams of students with complementary
competencies, school and enterprise mentors, competitions and their results (evidence on the student's record)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cbec_talent.cohorts.models import Student
from cbec_talent.core.models import TimeStampedModel
from cbec_talent.partnerships.models import Enterprise


class Project(TimeStampedModel):
    class Kind(models.TextChoices):
        STORE = "store_incubation", _("Store incubation")
        PRODUCT = "product", _("Product development")
        SERVICE = "service", _("Service project")
        RESEARCH = "research", _("Research project")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for teams")
        RUNNING = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("Title"), max_length=200)
    description = models.TextField(_("Description"), blank=True)
    kind = models.CharField(_("Kind"), max_length=30, choices=Kind.choices, default=Kind.STORE)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    competencies = models.JSONField(_("Competencies needed"), default=list, blank=True)
    team_size = models.PositiveSmallIntegerField(
        _("Team size (at most)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="innovation_projects",
        verbose_name=_("Source enterprise"),
    )
    school_mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="school_mentored_projects", verbose_name=_("School mentors")
    )
    enterprise_mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="enterprise_mentored_projects",
        verbose_name=_("Enterprise mentors"),
    )

    class Meta:
        verbose_name = _("creating-space project")
        verbose_name_plural = _("creating-space projects")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def takes_teams(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.RUNNING)


class Team(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("Team name"), max_length=100)
    members = models.ManyToManyField(Student, through="TeamMember", related_name="innovation_teams")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["project", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="uniq_innovation_team_name")]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"


class TeamMember(TimeStampedModel):
    """A student on a team; one team per student per project (the project is repeated for the constraint)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="innovation_memberships")

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "student__number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "student"], name="uniq_innovation_member_project"),
        ]

    def __str__(self) -> str:
        return f"{self.team.name} · {self.student.number}"


class Competition(TimeStampedModel):
    class Level(models.TextChoices):
        SCHOOL = "school", _("School")
        PROVINCIAL = "provincial", _("Provincial")
        NATIONAL = "national", _("National")
        INTERNATIONAL = "international", _("International")

    name = models.CharField(_("Name"), max_length=200)
    level = models.CharField(_("Level"), max_length=20, choices=Level.choices, default=Level.SCHOOL)
    organiser = models.CharField(_("Organiser"), max_length=200, blank=True)
    date = models.DateField(_("Date"))
    description = models.TextField(_("Description"), blank=True)

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-date", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "date"], name="uniq_competition_name_date")]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%Y})"


class Entry(TimeStampedModel):
    """A team's entry to a competition; its result (award, rank) is evidence on each member's record."""

    class Award(models.TextChoices):
        GRAND = "grand", _("Grand prize")
        FIRST = "first", _("First prize")
        SECOND = "second", _("Second prize")
        THIRD = "third", _("Third prize")
        MERIT = "merit", _("Merit award")
        PARTICIPATION = "participation", _("Participation")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entries")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="entries")
    award = models.CharField(_("Award"), max_length=20, choices=Award.choices, blank=True)
    rank = models.PositiveIntegerField(_("Rank"), null=True, blank=True, validators=[MinValueValidator(1)])
    note = models.CharField(_("Note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("competition entry")
        verbose_name_plural = _("competition entries")
        ordering = ["competition", "rank", "team__name"]
        constraints = [models.UniqueConstraint(fields=["competition", "team"], name="uniq_competition_entry")]

    def __str__(self) -> str:
        return f"{self.competition} · {self.team.name}"

    @property
    def has_result(self) -> bool:
        return bool(self.award) or self.rank is not None

    @property
    def is_award(self) -> bool:
        return self.award not in ("", self.Award.PARTICIPATION)
