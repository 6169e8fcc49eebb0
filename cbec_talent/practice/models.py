"""Practice simulator sessions (实训): a class plays the simulation engine's scenario in teams, round by round.

The engine state is never stored: every page replays the session from its seed and the stored decisions
(``replay.py``), which reproduces it bit for bit. RoundResult rows keep each round's KPIs for the leaderboard.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cbec_talent.core.models import TimeStampedModel


class SimulationSession(TimeStampedModel):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    title = models.CharField(_("Title"), max_length=200)
    scenario = models.CharField(_("Scenario"), max_length=100)
    seed = models.PositiveIntegerField(_("Seed"))
    rounds = models.PositiveSmallIntegerField(_("Rounds"))
    round_hours = models.PositiveIntegerField(_("Hours per round"), default=168)
    deadline = models.DateTimeField(_("Deadline of the current round"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    current_round = models.PositiveSmallIntegerField(_("Rounds played"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_record = models.JSONField(_("Run record"), default=dict, blank=True)
    multi_role = models.BooleanField(_("Multi-role transaction mode"), default=False)

    class Meta:
        verbose_name = _("simulation session")
        verbose_name_plural = _("simulation sessions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING


class Team(models.Model):
    session = models.ForeignKey(SimulationSession, on_delete=models.CASCADE, related_name="teams")
    index = models.PositiveSmallIntegerField(_("Position in the game"))
    name = models.CharField(_("Name"), max_length=100)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="practice_teams", verbose_name=_("Members"))

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["session", "index"]
        constraints = [
            models.UniqueConstraint(fields=["session", "index"], name="uniq_practice_team_index"),
            models.UniqueConstraint(fields=["session", "name"], name="uniq_practice_team_name"),
        ]

    def __str__(self) -> str:
        return self.name


class RoundDecision(models.Model):
    """A team's decisions for one round (0-based), as the decision form's cleaned fields."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="decisions")
    round = models.PositiveSmallIntegerField(_("Round"))
    decisions = models.JSONField(_("Decisions"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("Submitted at"), auto_now=True)

    class Meta:
        verbose_name = _("round decision")
        verbose_name_plural = _("round decisions")
        ordering = ["team", "round"]
        constraints = [models.UniqueConstraint(fields=["team", "round"], name="uniq_practice_decision")]

    def __str__(self) -> str:
        return f"{self.team} · {self.round + 1}"


class RoleAssignment(models.Model):
    """In a multi-role session, the role one team member plays (``ROLES`` of the engine: seller, buyer, logistics,
    customs_broker, payment). Several members may share the seller role; every other role has one player."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="role_players")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("Role"), max_length=20)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["team", "role", "student"]
        constraints = [models.UniqueConstraint(fields=["team", "student"], name="uniq_practice_role_player")]

    def __str__(self) -> str:
        return f"{self.team} · {self.role} · {self.student}"


class RoleDecision(models.Model):
    """The terms one service role (or the buyer) of a team's group set for one round (0-based), as
    ``{RoleDecisions field: value}``; roles nobody submitted are played by the model."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="role_decisions")
    round = models.PositiveSmallIntegerField(_("Round"))
    role = models.CharField(_("Role"), max_length=20)
    terms = models.JSONField(_("Terms"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("Submitted at"), auto_now=True)

    class Meta:
        verbose_name = _("role decision")
        verbose_name_plural = _("role decisions")
        ordering = ["team", "round", "role"]
        constraints = [models.UniqueConstraint(fields=["team", "round", "role"], name="uniq_practice_role_decision")]

    def __str__(self) -> str:
        return f"{self.team} · {self.role} · {self.round + 1}"


class RoundResult(models.Model):
    """One team's KPIs after one round (0-based); ``bot_played`` when the team submitted nothing."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="results")
    round = models.PositiveSmallIntegerField(_("Round"))
    date = models.CharField(_("Date"), max_length=10)
    events = models.JSONField(_("Events"), default=list, blank=True)
    kpis = models.JSONField(_("KPIs"))
    bot_played = models.BooleanField(_("Played by the bot"), default=False)

    class Meta:
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        ordering = ["team", "round"]
        constraints = [models.UniqueConstraint(fields=["team", "round"], name="uniq_practice_result")]

    def __str__(self) -> str:
        return f"{self.team} · {self.round + 1}"


class PracticeScore(models.Model):
    """A final per-competency score of one student in one finished session (read by the assessment app)."""

    session = models.ForeignKey(SimulationSession, on_delete=models.CASCADE, related_name="scores")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="scores")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_scores")
    competency_code = models.CharField(_("Competency code"), max_length=40)
    score = models.FloatField(_("Score (0-100)"))
    explanation = models.JSONField(_("Explanation"), default=dict)

    class Meta:
        verbose_name = _("practice score")
        verbose_name_plural = _("practice scores")
        ordering = ["session", "student", "competency_code"]
        constraints = [
            models.UniqueConstraint(fields=["session", "student", "competency_code"], name="uniq_practice_score")
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.competency_code} · {self.score:.1f}"
