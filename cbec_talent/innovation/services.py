"""Writes of the creating space: projects, teams (formed by students or from a suggestion), competitions,
entries and results. Every function is atomic, validates with full_clean and reports bad input as CbecError."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cbec_talent.cohorts.models import Student
from cbec_talent.core.errors import CbecError, Problem

from .models import Competition, Entry, Project, Team, TeamMember

PROJECT_FIELDS = ("title", "description", "kind", "status", "competencies", "team_size", "enterprise")


def _clean(obj):
    try:
        obj.full_clean()
    except ValidationError as exc:
        problems = [
            Problem(str(message), field=None if name == "__all__" else name)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
        raise CbecError(problems) from exc
    obj.save()
    return obj


def _check_codes(codes) -> list[str]:
    from cbec_talent.competencies.models import Competency
    from cbec_talent.competencies.selectors import default_framework

    codes = list(dict.fromkeys(str(c).strip() for c in codes or () if str(c).strip()))
    framework = default_framework()
    known = set(Competency.objects.filter(framework=framework, code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise CbecError(
            [Problem(_("Unknown competency code: %(codes)s") % {"codes": ", ".join(unknown)}, field="competencies")]
        )
    return codes


def _check_mentors(school_mentors, enterprise_mentors) -> None:
    problems = []
    for user in school_mentors or ():
        if not user.has_role("teacher"):
            problems.append(
                Problem(
                    _("%(user)s is not a teacher and cannot be a school mentor.") % {"user": user},
                    field="school_mentors",
                )
            )
    for user in enterprise_mentors or ():
        if not user.has_role("enterprise_tutor"):
            problems.append(
                Problem(
                    _("%(user)s is not an enterprise tutor and cannot be an enterprise mentor.") % {"user": user},
                    field="enterprise_mentors",
                )
            )
    if problems:
        raise CbecError(problems)


@transaction.atomic
def project_create(*, school_mentors=(), enterprise_mentors=(), **fields) -> Project:
    fields["competencies"] = _check_codes(fields.get("competencies"))
    _check_mentors(school_mentors, enterprise_mentors)
    project = _clean(Project(**{k: v for k, v in fields.items() if k in PROJECT_FIELDS}))
    project.school_mentors.set(school_mentors)
    project.enterprise_mentors.set(enterprise_mentors)
    return project


@transaction.atomic
def project_update(*, project: Project, school_mentors=None, enterprise_mentors=None, **fields) -> Project:
    if "competencies" in fields:
        fields["competencies"] = _check_codes(fields["competencies"])
    _check_mentors(school_mentors, enterprise_mentors)
    if "team_size" in fields:
        largest = max((t.memberships.count() for t in project.teams.all()), default=0)
        if fields["team_size"] is not None and fields["team_size"] < largest:
            raise CbecError([Problem(_("A team already has %(n)d members.") % {"n": largest}, field="team_size")])
    for name, value in fields.items():
        if name in PROJECT_FIELDS:
            setattr(project, name, value)
    _clean(project)
    if school_mentors is not None:
        project.school_mentors.set(school_mentors)
    if enterprise_mentors is not None:
        project.enterprise_mentors.set(enterprise_mentors)
    return project


def _check_takes_teams(project: Project) -> None:
    if not project.takes_teams:
        raise CbecError(
            [
                Problem(
                    _("The project is %(status)s and takes no team changes.") % {"status": project.get_status_display()}
                )
            ]
        )


def _check_free(project: Project, students, *, except_team: Team | None = None) -> None:
    taken = TeamMember.objects.filter(project=project, student__in=students).select_related("student", "team")
    if except_team is not None:
        taken = taken.exclude(team=except_team)
    problems = [
        Problem(
            _("%(student)s is already on team %(team)s of this project.") % {"student": m.student, "team": m.team.name},
            field="members",
        )
        for m in taken
    ]
    if problems:
        raise CbecError(problems)


@transaction.atomic
def team_create(*, project: Project, name: str, members: list[Student]) -> Team:
    """A team on a project that takes teams, with at least one member and at most the project's team size;
    a student is on at most one team per project."""
    _check_takes_teams(project)
    members = list(dict.fromkeys(members))
    if not members:
        raise CbecError([Problem(_("A team needs at least one member."), field="members")])
    if len(members) > project.team_size:
        raise CbecError(
            [
                Problem(
                    _("A team on this project has at most %(n)d members.") % {"n": project.team_size}, field="members"
                )
            ]
        )
    if Team.objects.filter(project=project, name=name.strip()).exists():
        raise CbecError([Problem(_("This project already has a team with that name."), field="name")])
    _check_free(project, members)
    team = _clean(Team(project=project, name=name.strip()))
    for student in members:
        _clean(TeamMember(team=team, project=project, student=student))
    return team


@transaction.atomic
def team_join(*, team: Team, student: Student) -> TeamMember:
    project = team.project
    _check_takes_teams(project)
    if team.memberships.filter(student=student).exists():
        raise CbecError([Problem(_("%(student)s is already on this team.") % {"student": student})])
    if team.memberships.count() >= project.team_size:
        raise CbecError([Problem(_("The team is full (%(n)d members).") % {"n": project.team_size})])
    _check_free(project, [student])
    return _clean(TeamMember(team=team, project=project, student=student))


@transaction.atomic
def team_leave(*, team: Team, student: Student) -> bool:
    """Take a student off a team. A team with competition entries keeps its members (the results are evidence
    on their records). Returns True when the team was deleted because its last member left."""
    membership = team.memberships.filter(student=student).first()
    if membership is None:
        raise CbecError([Problem(_("%(student)s is not on this team.") % {"student": student})])
    if team.entries.exists():
        raise CbecError(
            [Problem(_("The team has competition entries; its members stay on the record. Ask a teacher."))]
        )
    membership.delete()
    if not team.memberships.exists():
        team.delete()
        return True
    return False


@transaction.atomic
def competition_create(**fields) -> Competition:
    return _clean(Competition(**fields))


@transaction.atomic
def entry_create(*, competition: Competition, team: Team) -> Entry:
    if Entry.objects.filter(competition=competition, team=team).exists():
        raise CbecError([Problem(_("The team is already entered in this competition."), field="team")])
    if not team.memberships.exists():
        raise CbecError([Problem(_("The team has no members."), field="team")])
    return _clean(Entry(competition=competition, team=team))


@transaction.atomic
def result_save(
    *, entry: Entry, award: str = "", rank: int | None = None, note: str = "", actor=None, today: dt.date | None = None
) -> Entry:
    """Record (or correct) an entry's result: an award and/or a rank, once the competition has taken place."""
    today = today or timezone.localdate()
    if entry.competition.date > today:
        raise CbecError(
            [
                Problem(
                    _("The competition takes place on %(date)s; record its result afterwards.")
                    % {"date": entry.competition.date}
                )
            ]
        )
    if not award and rank is None:
        raise CbecError([Problem(_("Give an award or a rank."), field="award")])
    if (
        rank is not None
        and Entry.objects.filter(competition=entry.competition, rank=rank).exclude(pk=entry.pk).exists()
    ):
        raise CbecError([Problem(_("Another team already holds rank %(n)d.") % {"n": rank}, field="rank")])
    entry.award, entry.rank, entry.note = award or "", rank, note or ""
    entry.recorded_by = actor if getattr(actor, "pk", None) else None
    return _clean(entry)
