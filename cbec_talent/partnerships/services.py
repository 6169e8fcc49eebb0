"""Writes of the alliance: enterprises, posts, applications, and the stable matching of students to posts."""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from cbec_talent.cohorts.models import Student
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.engines.matching import (
    application_fit_scores,
    build_instance,
    explain_matches,
    is_stable,
    match_students,
    reasons_for,
)
from cbec_talent.engines.matching.ranking import ACCEPT_FROM, merge_enterprise_ranks

from .findings import internship_weeks, reason_text_en
from .models import (
    Application,
    CheckIn,
    Enterprise,
    InternshipPost,
    MatchRun,
    Placement,
    TutorEvaluation,
    WeeklyLog,
)

LEVEL_TARGET = {"aware": 1 / 3, "apply": 2 / 3, "master": 1.0}
MAX_PREFERENCES = 10


def _clean(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def enterprise_create(**fields) -> Enterprise:
    return _clean(Enterprise(**fields))


@transaction.atomic
def post_create(**fields) -> InternshipPost:
    unknown = [lv for lv in (fields.get("requirements") or {}).values() if lv not in LEVEL_TARGET]
    if unknown:
        raise CbecError([Problem(_("Unknown level: %(v)s") % {"v": ", ".join(unknown)}, field="requirements")])
    return _clean(InternshipPost(**fields))


@transaction.atomic
def applications_set(*, student: Student, posts: list[InternshipPost]) -> list[Application]:
    """Replace a student's ranked preferences (best first)."""
    if len(posts) > MAX_PREFERENCES:
        raise CbecError([Problem(_("At most %(n)d preferences.") % {"n": MAX_PREFERENCES}, field="posts")])
    if len({p.pk for p in posts}) != len(posts):
        raise CbecError([Problem(_("The same post is listed twice."), field="posts")])
    closed = [str(p) for p in posts if not p.is_open]
    if closed:
        raise CbecError([Problem(_("Closed for applications: %(v)s") % {"v": ", ".join(closed)}, field="posts")])
    Application.objects.filter(student=student).delete()
    return [Application.objects.create(student=student, post=p, preference=i) for i, p in enumerate(posts, start=1)]


def _attainment(students: list[Student], codes: list[str]) -> np.ndarray:
    """Students x competencies attainment (0..1; not yet assessed = 0), per cohort programme."""
    from cbec_talent.cohorts.selectors import figures

    out = np.zeros((len(students), len(codes)))
    column = {c: j for j, c in enumerate(codes)}
    by_programme: dict[int, list[int]] = {}
    for i, s in enumerate(students):
        by_programme.setdefault(s.school_class.cohort.programme_id, []).append(i)
    for rows in by_programme.values():
        group = [students[i] for i in rows]
        fig = figures(group[0].school_class.cohort.programme, group)
        if fig.result is None:
            continue
        values = np.nan_to_num(np.asarray(fig.result.competency, dtype=np.float64), nan=0.0)
        for j_src, code in enumerate(fig.competencies):
            if code in column:
                out[rows, column[code]] = values[:, j_src]
    return out


def kept_placements():
    """Placements a new matching run keeps: made by hand, or under way (check-ins, logs or evaluations exist)."""
    from django.db.models import Q

    return Placement.objects.filter(
        Q(manual=True) | Q(checkins__isnull=False) | Q(weekly_logs__isnull=False) | Q(evaluations__isnull=False)
    ).distinct()


@transaction.atomic
def match_run(*, actor=None) -> MatchRun:
    """Student-proposing deferred acceptance over all open posts: students rank posts, posts rank applicants
    by the enterprise's own ranking where it gave one, then by fit (the student's attainment against the post's
    required levels; ties by student number). Placements made by hand and internships already under way (a
    check-in, a weekly log or an evaluation) are kept with their seats; every other placement is replaced and
    explained."""
    applications = list(
        Application.objects.filter(post__is_open=True)
        .select_related("student__school_class__cohort", "post")
        .order_by("student__number", "preference")
    )
    kept = dict(kept_placements().values_list("student_id", "post_id"))
    manual = set(kept)
    applications = [a for a in applications if a.student_id not in manual]
    posts = list(InternshipPost.objects.filter(is_open=True).order_by("pk"))
    post_index = {p.pk: i for i, p in enumerate(posts)}
    taken = dict.fromkeys(post_index, 0)
    for post_id in kept.values():
        if post_id in taken:
            taken[post_id] += 1
    students = list(dict.fromkeys(a.student for a in applications))
    student_index = {s.pk: i for i, s in enumerate(students)}
    indptr = np.zeros(len(students) + 1, dtype=np.int64)
    for a in applications:
        indptr[student_index[a.student_id] + 1] += 1
    indptr = np.cumsum(indptr)
    pref_posts = np.array([post_index[a.post_id] for a in applications], dtype=np.int64)
    codes = sorted({c for p in posts for c in p.requirements})
    requirements = np.array([[LEVEL_TARGET.get(p.requirements.get(c), 0.0) for c in codes] for p in posts])
    requirements = requirements.reshape(len(posts), len(codes))
    attainment = _attainment(students, codes)
    fit = application_fit_scores(attainment, requirements, indptr, pref_posts)
    # what the posts rank by: the enterprise's own ranking where it gave one, then fit; declined never
    scores = merge_enterprise_ranks(
        np.clip(fit, 0.0, 1.0),
        np.array([a.enterprise_rank or 0 for a in applications], dtype=np.int64),
        np.array([a.declined for a in applications], dtype=bool),
    )
    capacity = np.array([max(0, p.seats - taken[p.pk]) for p in posts], dtype=np.int64)
    tiebreak = np.arange(len(students), dtype=np.int64)  # students are in student-number order
    instance = build_instance(capacity, indptr, pref_posts, post_score=scores, tiebreak=tiebreak, min_score=ACCEPT_FROM)
    result = match_students(instance)
    names = [str(p) for p in posts]
    explanations = explain_matches(instance, result.post_of_student)
    structured = reasons_for(
        instance,
        explanations,
        post_labels=names,
        attainment=attainment,
        requirements=requirements,
        competencies=codes,
        fit=fit,
    )
    reasons = {e.student: [r.to_dict() for r in rs] for e, rs in zip(explanations, structured, strict=True)}
    for items in reasons.values():
        for item in items:
            if "post" in item:
                item["post_id"] = posts[item["post"]].pk
    Placement.objects.exclude(student_id__in=manual).delete()
    run = MatchRun.objects.create(
        created_by=actor if getattr(actor, "pk", None) else None,
        students=len(students),
        stable=bool(is_stable(instance, result.post_of_student)),
    )
    placed, unplaced = 0, []
    for i, student in enumerate(students):
        p = int(result.post_of_student[i])
        why = reasons.get(i, [])
        text = reason_text_en(why)
        if p < 0:
            unplaced.append({"number": student.number, "name": student.name, "why": text, "reasons": why})
            continue
        Placement.objects.create(student=student, post=posts[p], run=run, explanation=text, reasons=why)
        placed += 1
    run.placed, run.unplaced = placed, unplaced
    run.save(update_fields=["placed", "unplaced"])
    return run


@transaction.atomic
def placement_update(
    *,
    placement: Placement,
    post: InternshipPost | None = None,
    school_tutor=None,
    enterprise_tutor=None,
    actor=None,
) -> Placement:
    """Tutors, or a move to another post by hand (then marked manual so a new matching run keeps it, and its
    reasons say who changed it by hand and what the matching had given; the save is audited as usual)."""
    if post is not None and post.pk != placement.post_id:
        if post.placements.count() >= post.seats:
            raise CbecError([Problem(_("%(post)s has no free seat.") % {"post": post}, field="post")])
        by = getattr(actor, "username", "") or "?"
        manual = {"code": "manual", "by": by, "post_id": post.pk, "post_label": str(post)}
        if not placement.manual:
            manual["previous"] = str(placement.post)
        placement.post, placement.manual = post, True
        placement.reasons = [manual]
        placement.explanation = reason_text_en(placement.reasons)
    if school_tutor is not None and not school_tutor.has_role("teacher"):
        raise CbecError([Problem(_("The school tutor must be a teacher."), field="school_tutor")])
    if enterprise_tutor is not None and not placement.post.enterprise.members.filter(pk=enterprise_tutor.pk).exists():
        raise CbecError(
            [Problem(_("The enterprise tutor must belong to the post's enterprise."), field="enterprise_tutor")]
        )
    placement.school_tutor = school_tutor if school_tutor is not None else placement.school_tutor
    placement.enterprise_tutor = enterprise_tutor if enterprise_tutor is not None else placement.enterprise_tutor
    placement.full_clean()
    placement.save()
    return placement


@transaction.atomic
def checkin_create(*, placement: Placement, date, note: str = "") -> CheckIn:
    """A student's check-in; a date outside the post's dates is allowed but reported as a finding."""
    return _clean(CheckIn(placement=placement, date=date, note=note))


@transaction.atomic
def weekly_log_save(*, placement: Placement, week: int, text: str) -> WeeklyLog:
    """Write (or rewrite) the student's log of one week of the internship (week 1 starts on the post's start)."""
    weeks = internship_weeks(placement.post)
    if not 1 <= week <= weeks:
        raise CbecError([Problem(_("The week must be between 1 and %(n)d.") % {"n": weeks}, field="week")])
    log = WeeklyLog.objects.filter(placement=placement, week=week).first() or WeeklyLog(placement=placement, week=week)
    log.text = text
    return _clean(log)


@transaction.atomic
def weekly_log_comment(*, log: WeeklyLog, side: str, comment: str) -> WeeklyLog:
    """A tutor's comment on a weekly log; side is 'school' or 'enterprise'."""
    if side == TutorEvaluation.Kind.SCHOOL:
        log.school_comment = comment
    elif side == TutorEvaluation.Kind.ENTERPRISE:
        log.enterprise_comment = comment
    else:
        raise CbecError([Problem(_("Only a tutor of this placement may comment."), field="comment")])
    return _clean(log)


@transaction.atomic
def evaluation_save(
    *, placement: Placement, by, kind: str, score, comment: str = "", signed_off: bool = False
) -> TutorEvaluation:
    """A tutor's evaluation (one per side; saving again replaces it). A signed-off evaluation is final."""
    evaluation = TutorEvaluation.objects.filter(placement=placement, kind=kind).first()
    if evaluation is not None and evaluation.signed_off:
        raise CbecError([Problem(_("This evaluation is already signed off."), field="score")])
    evaluation = evaluation or TutorEvaluation(placement=placement, kind=kind)
    evaluation.by = by if getattr(by, "pk", None) else None
    evaluation.score, evaluation.comment, evaluation.signed_off = score, comment, signed_off
    return _clean(evaluation)


@transaction.atomic
def evaluation_to_grade(*, placement: Placement, component, actor=None) -> dict:
    """Write the signed-off enterprise tutor's evaluation into the student's grade on a course component of
    kind "enterprise_tutor" of the student's programme. Returns the grade counts (created/updated/deleted)."""
    from cbec_talent.cohorts.services import grade_set

    if component.kind != "enterprise_tutor":
        raise CbecError([Problem(_("Only an enterprise tutor component can take the evaluation."), field="component")])
    if component.course.programme_id != placement.student.school_class.cohort.programme_id:
        raise CbecError([Problem(_("The course is not in the student's programme."), field="component")])
    evaluation = placement.evaluations.filter(kind=TutorEvaluation.Kind.ENTERPRISE, signed_off=True).first()
    if evaluation is None:
        raise CbecError([Problem(_("The enterprise tutor has not signed off an evaluation yet."), field="component")])
    return grade_set(student=placement.student, component=component, score=evaluation.score, actor=actor)
