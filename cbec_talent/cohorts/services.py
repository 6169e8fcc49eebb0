"""Writes of the cohorts app: cohorts, classes, the student import, plans (checked by the engine and the
college rule), the college rule, each programme's roll-up method, and grades (grid entry and Excel import,
all or nothing)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cbec_talent.competencies.models import Competency, Direction
from cbec_talent.core import audit
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.excel import read_workbook
from cbec_talent.engines.attainment import ComponentKind, Severity, SupportMatrix, check_plan, check_support
from cbec_talent.programmes.models import Course, Programme

from .engine_io import course_plan, finding_text, parse_score, plan_rules
from .models import (
    AssessmentComponent,
    AttainmentSetting,
    Cohort,
    CollegeRule,
    CourseObjective,
    Enrolment,
    Grade,
    ObjectiveComponent,
    ObjectiveReport,
    SchoolClass,
    Student,
)

STUDENT_HEADERS = ("学号 Student number", "姓名 Name", "班级 Class", "方向 Direction", "语种 Languages")
_SPLIT = re.compile(r"[,，、;；\s]+")


def _full_clean(obj) -> None:
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean()
    except ValidationError as exc:
        raise CbecError([Problem(str(m), field=f) for f, msgs in exc.message_dict.items() for m in msgs]) from None


@transaction.atomic
def cohort_create(*, programme: Programme, intake_year: int, name: str) -> Cohort:
    cohort = Cohort(programme=programme, intake_year=intake_year, name=name.strip())
    _full_clean(cohort)
    cohort.save()
    return cohort


@transaction.atomic
def school_class_create(*, cohort: Cohort, name: str) -> SchoolClass:
    school_class = SchoolClass(cohort=cohort, name=name.strip())
    _full_clean(school_class)
    school_class.save()
    return school_class


@transaction.atomic
def college_rule_update(*, min_practice_percent: Decimal, max_component_percent: Decimal | None) -> CollegeRule:
    rule, _created = CollegeRule.objects.get_or_create(pk=1)
    rule.min_practice_percent = min_practice_percent
    rule.max_component_percent = max_component_percent
    _full_clean(rule)
    rule.save()
    return rule


@transaction.atomic
def attainment_setting_update(*, programme: Programme, **values) -> AttainmentSetting:
    setting, _created = AttainmentSetting.objects.get_or_create(programme=programme)
    for key in ("method", "target_percent", "threshold_percent", "risk_percent"):
        setattr(setting, key, values[key])
    if values.get("stage_threshold_percent") is not None:
        setting.stage_threshold_percent = values["stage_threshold_percent"]
    _full_clean(setting)
    setting.save()
    return setting


def _cell(record: dict, header: str) -> str:
    value = record.get(header)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@transaction.atomic
def students_import(*, cohort: Cohort, data: bytes, actor=None) -> dict:
    """Create or update (by student number, the stable key) the students of a sheet, all or nothing."""
    sheets = read_workbook(data)
    if not sheets:
        raise CbecError([Problem(_("The workbook has no sheet."))])
    sheet, rows = next(iter(sheets.items()))
    number_h, name_h, class_h, dir_h, lang_h = STUDENT_HEADERS
    classes = {c.name: c for c in cohort.classes.all()}
    framework = cohort.programme.framework
    directions = (
        set(Direction.objects.filter(framework=framework).values_list("code", flat=True)) if framework else set()
    )
    problems: list[Problem] = []
    if rows and not any(number_h in r for _n, r in rows):
        problems.append(Problem(_("Missing column: %(c)s") % {"c": number_h}, sheet=sheet, field=number_h))
    seen: dict[str, int] = {}
    parsed = []
    for row, record in rows:
        number, name = _cell(record, number_h), _cell(record, name_h)
        class_name, direction = _cell(record, class_h), _cell(record, dir_h)
        if not number:
            problems.append(Problem(_("The student number is missing."), row=row, field=number_h, sheet=sheet))
        elif number in seen:
            problems.append(
                Problem(
                    _("Student number %(n)s appears twice (first in row %(r)d).") % {"n": number, "r": seen[number]},
                    row=row,
                    field=number_h,
                    sheet=sheet,
                )
            )
        else:
            seen[number] = row
        if not name:
            problems.append(Problem(_("The name is missing."), row=row, field=name_h, sheet=sheet))
        if class_name not in classes:
            problems.append(
                Problem(
                    _("Unknown class: %(c)s (the cohort has: %(known)s).")
                    % {"c": class_name or "—", "known": ", ".join(sorted(classes)) or "—"},
                    row=row,
                    field=class_h,
                    sheet=sheet,
                )
            )
        if direction and direction not in directions:
            problems.append(
                Problem(
                    _("Unknown direction code: %(d)s (known: %(known)s).")
                    % {"d": direction, "known": ", ".join(sorted(directions)) or "—"},
                    row=row,
                    field=dir_h,
                    sheet=sheet,
                )
            )
        languages = [x for x in _SPLIT.split(_cell(record, lang_h)) if x]
        parsed.append((number, name[:100], class_name, direction, languages))
    if not rows:
        problems.append(Problem(_("The sheet has no student rows."), sheet=sheet))
    if problems:
        raise CbecError(problems)
    existing = {s.number: s for s in Student.objects.filter(number__in=list(seen))}
    created = updated = 0
    for number, name, class_name, direction, languages in parsed:
        student = existing.get(number) or Student(number=number)
        is_new = student.pk is None
        student.name, student.school_class = name, classes[class_name]
        student.direction_code, student.languages = direction, languages
        _full_clean(student)
        student.save()
        created += is_new
        updated += not is_new
    audit.record(audit.IMPORT, cohort, actor=actor, after={"created": created, "updated": updated})
    return {"created": created, "updated": updated}


ENROLMENT_HEADERS = ("学号 Student number", "课程代码 Course code", "学期 Term")


def _term(value) -> int | None:
    """A cell -> a positive whole number, or None when it is not one (text, 0, negative, 2.5, a bool)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 1 else None
    text = str(value).strip()
    return int(text) if text.isdigit() and int(text) >= 1 else None


@transaction.atomic
def enrolments_import(*, cohort: Cohort, data: bytes, actor=None) -> dict:
    """Enrol the cohort's students on courses of its programme per term (one row each), all or nothing.

    The pair (student number, course code) is the key: an existing enrolment gets the sheet's term. Problems name
    the row and the column: unknown student number (of this cohort), unknown course code (of the cohort's
    programme), a term that is not a positive whole number or is after the programme's last term, a duplicate row.
    """
    sheets = read_workbook(data)
    if not sheets:
        raise CbecError([Problem(_("The workbook has no sheet."))])
    sheet, rows = next(iter(sheets.items()))
    number_h, course_h, term_h = ENROLMENT_HEADERS
    programme = cohort.programme
    students = {s.number: s for s in Student.objects.filter(school_class__cohort=cohort)}
    courses = {c.code: c for c in programme.courses.all()}
    problems: list[Problem] = []
    headers = set().union(*(r.keys() for _n, r in rows)) if rows else set()
    for h in ENROLMENT_HEADERS:
        if rows and h not in headers:
            problems.append(Problem(_("Missing column: %(c)s") % {"c": h}, row=1, field=h, sheet=sheet))
    seen: dict[tuple[str, str], int] = {}
    parsed = []
    for row, record in rows:
        number, code = _cell(record, number_h), _cell(record, course_h)
        student, course, term = students.get(number), courses.get(code), _term(record.get(term_h))
        if student is None:
            problems.append(
                Problem(
                    _("Unknown student number in this cohort: %(n)s") % {"n": number or "—"},
                    row=row,
                    field=number_h,
                    sheet=sheet,
                )
            )
        if course is None:
            problems.append(
                Problem(
                    _("Unknown course code for programme %(p)s: %(c)s") % {"p": programme.code, "c": code or "—"},
                    row=row,
                    field=course_h,
                    sheet=sheet,
                )
            )
        if term is None:
            problems.append(
                Problem(
                    _("The term must be a positive whole number, not %(v)s.") % {"v": _cell(record, term_h) or "—"},
                    row=row,
                    field=term_h,
                    sheet=sheet,
                )
            )
        elif term > programme.semesters:
            problems.append(
                Problem(
                    _("Term %(t)d is after the programme's last term (%(n)d).") % {"t": term, "n": programme.semesters},
                    row=row,
                    field=term_h,
                    sheet=sheet,
                )
            )
        if number and code and (number, code) in seen:
            problems.append(
                Problem(
                    _("Student %(n)s is enrolled on %(c)s twice (first in row %(r)d).")
                    % {"n": number, "c": code, "r": seen[(number, code)]},
                    row=row,
                    field=course_h,
                    sheet=sheet,
                )
            )
        elif number and code:
            seen[(number, code)] = row
        parsed.append((student, course, term))
    if not rows:
        problems.append(Problem(_("The sheet has no enrolment rows."), sheet=sheet))
    if problems:
        raise CbecError(problems)
    existing = {(e.student_id, e.course_id): e for e in Enrolment.objects.filter(student__in=list(students.values()))}
    created = updated = 0
    for student, course, term in parsed:
        enrolment = existing.get((student.pk, course.pk))
        if enrolment is None:
            enrolment = Enrolment(student=student, course=course, term=term)
            created += 1
        elif enrolment.term != term:
            enrolment.term = term
            updated += 1
        else:
            continue
        _full_clean(enrolment)
        enrolment.save()
    after = {"enrolments_created": created, "enrolments_updated": updated}
    audit.record(audit.IMPORT, cohort, actor=actor, after=after)
    return {"created": created, "updated": updated, "unchanged": len(parsed) - created - updated}


def _support(course: Course) -> SupportMatrix:
    codes = tuple(sorted(course.supports))
    return SupportMatrix(
        courses=(course.code,), competencies=codes, strengths=(tuple(course.supports[c] for c in codes),)
    )


@transaction.atomic
def plan_save(*, course: Course, components: list[dict]) -> list[str]:
    """Replace a course's assessment plan (components matched by code so grades stay attached).

    Refused with bilingual findings when the engine finds an error (weights not summing to 100, the college
    rule "practice counts at least N%", ...); returns the warnings (bilingual) of an accepted plan.
    """
    plan = course_plan(course.code, components)
    findings = check_plan(plan, plan_rules()) + check_support([plan], _support(course))
    problems = [
        Problem(finding_text(f), field=f.component or _("weight"), sheet=course.code)
        for f in findings
        if f.severity is Severity.ERROR
    ]
    known = set(Competency.objects.filter(framework_id=course.programme.framework_id).values_list("code", flat=True))
    for c in components:
        for code in c.get("competencies") or ():
            if code not in known:
                problems.append(
                    Problem(_("Unknown competency code: %(v)s") % {"v": code}, field=c["code"], sheet=course.code)
                )
    current = {c.code: c for c in course.assessment_components.all()}
    keep = {c["code"] for c in components}
    graded = set(
        Grade.objects.filter(component__course=course)
        .exclude(component__code__in=keep)
        .values_list("component__code", flat=True)
    )
    for code in sorted(graded):
        problems.append(
            Problem(_("Component %(c)s already has grades and cannot be removed.") % {"c": code}, field=code)
        )
    if problems:
        raise CbecError(problems)
    for code, comp in current.items():
        if code not in keep:
            comp.delete()
    for order, c in enumerate(components):
        comp = current.get(c["code"]) or AssessmentComponent(course=course, code=c["code"])
        comp.order, comp.kind, comp.weight = order, c["kind"], Decimal(str(c["weight"]))
        comp.competencies = list(c.get("competencies") or [])
        _full_clean(comp)
        comp.save()
    return [finding_text(f) for f in findings if f.severity is Severity.WARNING]


GRADE_NUMBER_H, GRADE_NAME_H = "学号 Student number", "姓名 Name"


def _store_grades(values: dict, existing: dict, actor) -> dict:
    """values: (student, component) -> Decimal | None. Saves changed rows one by one (each audited)."""
    created = updated = deleted = 0
    for (student, component), score in values.items():
        grade = existing.get((student.pk, component.pk))
        if score is None:
            if grade is not None:
                grade.delete()
                deleted += 1
            continue
        if grade is None:
            Grade.objects.create(student=student, component=component, score=score, entered_by=actor)
            created += 1
        elif grade.score != score:
            grade.score, grade.entered_by = score, actor
            grade.version += 1
            grade.save()
            updated += 1
    return {"created": created, "updated": updated, "deleted": deleted}


def _grade_context(school_class: SchoolClass, course: Course, lock: bool = False):
    students = list(school_class.students.order_by("number"))
    components = list(course.assessment_components.order_by("order", "id"))
    grades = Grade.objects.filter(student__school_class=school_class, component__course=course)
    if lock:  # PostgreSQL: the rows stay as read until this transaction ends (SQLite: the write lock is taken)
        grades = grades.select_for_update()
    existing = {(g.student_id, g.component_id): g for g in grades}
    return students, components, existing


@transaction.atomic
def grades_save(
    *,
    school_class: SchoolClass,
    course: Course,
    entries: dict[tuple[int, int], str],
    actor=None,
    seen: dict[tuple[int, int], tuple[str, int]] | None = None,
) -> dict:
    """Store a grid (student id, component id) -> text; blank clears. Nothing is stored if any cell is bad.

    Problems name the grid row (1-based, with the student number) and the component code. There is no term
    lock: late evidence (a certificate, an enterprise evaluation) is entered whenever it arrives.

    Optimistic locking: ``seen`` gives, per cell, the text and the grade version the grid was opened with. A
    cell left as it was is not written (so another teacher's change to it stands); a changed cell whose grade
    was changed by someone else in between is refused, naming what it is now -- never a silent overwrite.
    """
    students, components, existing = _grade_context(school_class, course, lock=True)
    if not components:
        raise CbecError([Problem(_("Course %(c)s has no assessment plan yet.") % {"c": course.code})])
    problems, values = [], {}
    for row, student in enumerate(students, start=1):
        for comp in components:
            if (student.pk, comp.pk) not in entries:
                continue
            if seen is not None and (student.pk, comp.pk) in seen:
                shown, version = seen[(student.pk, comp.pk)]
                if entries[(student.pk, comp.pk)].strip() == shown.strip():
                    continue  # not changed in this grid
                grade = existing.get((student.pk, comp.pk))
                if (grade.version if grade else 0) != version:
                    now = "—" if grade is None else f"{grade.score:g}"
                    problems.append(
                        Problem(
                            _(
                                "%(n)s: changed by someone else since you opened the grid (you saw %(old)s, it is"
                                " now %(now)s); your %(mine)s was not saved. Check it and save again."
                            )
                            % {
                                "n": student.number,
                                "old": shown.strip() or "—",
                                "now": now,
                                "mine": entries[(student.pk, comp.pk)].strip() or "—",
                            },
                            row=row,
                            field=comp.code,
                        )
                    )
                    continue
            try:
                values[(student, comp)] = parse_score(entries[(student.pk, comp.pk)])
            except ValueError as exc:
                problems.append(Problem(f"{student.number}: {exc}", row=row, field=comp.code))
    if problems:
        raise CbecError(problems)
    return _store_grades(values, existing, actor)


def grade_sheet_name(school_class: SchoolClass) -> str:
    name = re.sub(r"[\\/*?:\[\]]", "_", school_class.name)[:31]
    return name or "Grades"


@transaction.atomic
def grades_import(*, school_class: SchoolClass, course: Course, data: bytes, actor=None) -> dict:
    """Import the class sheet of the grade template; a malformed sheet is refused whole, naming row and column."""
    students, components, existing = _grade_context(school_class, course)
    if not components:
        raise CbecError([Problem(_("Course %(c)s has no assessment plan yet.") % {"c": course.code})])
    sheets = read_workbook(data)
    wanted = grade_sheet_name(school_class)
    if wanted not in sheets:
        raise CbecError(
            [Problem(_("The workbook has no sheet named %(s)s (the class sheet of the template).") % {"s": wanted})]
        )
    rows = sheets[wanted]
    by_number = {s.number: s for s in students}
    by_code = {c.code: c for c in components}
    problems: list[Problem] = []
    headers = set().union(*(r.keys() for _n, r in rows)) if rows else set()
    for h in sorted(headers - set(by_code) - {GRADE_NUMBER_H, GRADE_NAME_H}):
        problems.append(Problem(_("Unknown column: %(c)s") % {"c": h}, row=1, field=h, sheet=wanted))
    if rows and GRADE_NUMBER_H not in headers:
        problems.append(Problem(_("Missing column: %(c)s") % {"c": GRADE_NUMBER_H}, row=1, sheet=wanted))
    values, seen = {}, {}
    for row, record in rows:
        number = _cell(record, GRADE_NUMBER_H)
        student = by_number.get(number)
        if student is None:
            problems.append(
                Problem(
                    _("Student number %(n)s is not in class %(c)s.") % {"n": number or "—", "c": school_class.name},
                    row=row,
                    field=GRADE_NUMBER_H,
                    sheet=wanted,
                )
            )
            continue
        if number in seen:
            problems.append(
                Problem(
                    _("Student number %(n)s appears twice (first in row %(r)d).") % {"n": number, "r": seen[number]},
                    row=row,
                    field=GRADE_NUMBER_H,
                    sheet=wanted,
                )
            )
            continue
        seen[number] = row
        for code, comp in by_code.items():
            if code not in record:
                continue
            try:
                score = parse_score(record[code])
            except ValueError as exc:
                problems.append(Problem(str(exc), row=row, field=code, sheet=wanted))
                continue
            if score is not None:
                values[(student, comp)] = score
    if not rows:
        problems.append(Problem(_("The sheet has no student rows."), sheet=wanted))
    if problems:
        raise CbecError(problems)
    counts = _store_grades(values, existing, actor)
    audit.record(audit.IMPORT, school_class, actor=actor, after={"course": course.code, **counts})
    return counts


@transaction.atomic
def practice_scores_to_grades(
    *, school_class: SchoolClass, component: AssessmentComponent, session, actor=None
) -> dict:
    """Turn a finished simulator session's per-competency scores into grades of a simulation component.

    A student's grade is the mean of their practice scores over the competencies the component evidences (over all
    their practice competencies when the component names none). Students of the class without a login in the
    session are left untouched and counted as skipped.
    """
    from cbec_talent.practice.models import PracticeScore

    if component.kind != ComponentKind.SIMULATION.value:
        raise CbecError([Problem(_("Only a simulation component can take practice scores."), field="component")])
    if session.status != "finished":
        raise CbecError([Problem(_("The practice session has not finished yet."), field="session")])
    wanted = set(component.competencies)
    by_user: dict[int, list[float]] = {}
    for score in PracticeScore.objects.filter(session=session):
        if not wanted or score.competency_code in wanted:
            by_user.setdefault(score.student_id, []).append(score.score)
    students, _components, existing = _grade_context(school_class, component.course)
    values, skipped = {}, 0
    for student in students:
        scores = by_user.get(student.user_id) if student.user_id else None
        if not scores:
            skipped += 1
            continue
        values[(student, component)] = Decimal(str(round(sum(scores) / len(scores), 2)))
    counts = _store_grades(values, existing, actor)
    counts["skipped"] = skipped
    return counts


@transaction.atomic
def grade_set(*, student: Student, component: AssessmentComponent, score: Decimal | None, actor=None) -> dict:
    """Store one student's grade on one component from another source (e.g. an enterprise tutor's evaluation);
    None clears it. Same path as the grid (each change audited). Returns {created, updated, deleted}."""
    existing = {(g.student_id, g.component_id): g for g in Grade.objects.filter(student=student, component=component)}
    return _store_grades({(student, component): score}, existing, actor)


@transaction.atomic
def stage_open_early(*, student: Student, stage: str, reason: str, actor=None):
    """Open a closed five-in-one stage for one student before the previous stage reached the threshold; the
    reason is required and the opening is audited."""
    from .models import StageOpening
    from .selectors import student_gates
    from .stages import STAGES, stage_label

    reason = (reason or "").strip()
    if stage not in STAGES:
        raise CbecError([Problem(_("Unknown five-in-one stage: %(stage)s.") % {"stage": stage}, field="stage")])
    if not reason:
        raise CbecError([Problem(_("Give the reason for opening the stage early."), field="reason")])
    gate = next(g for g in student_gates(student) if g.stage == stage)
    if gate.open:
        raise CbecError(
            [
                Problem(
                    _("%(stage)s is already open for %(student)s.") % {"stage": stage_label(stage), "student": student}
                )
            ]
        )
    # the audit log records the opening (who, when, reason, and the attainment and threshold it was opened at)
    opening = StageOpening(
        student=student,
        stage=stage,
        reason=reason[:500],
        previous_attainment=gate.previous_attainment,
        threshold=gate.threshold,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    _full_clean(opening)
    opening.save()
    return opening


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value).strip())
    except ArithmeticError:
        return None


@transaction.atomic
def objectives_save(*, course: Course, objectives: list[dict], actor=None) -> list[CourseObjective]:
    """Replace the course's objectives: [{code, text_zh, text_en, competencies, requirements, target_percent,
    items: {component code: points}}]; all or nothing, each problem naming the objective and field."""
    components = {c.code: c for c in AssessmentComponent.objects.filter(course=course)}
    framework_id = course.programme.framework_id
    known = (
        set(Competency.objects.filter(framework_id=framework_id).values_list("code", flat=True))
        if framework_id
        else None
    )
    problems = []
    codes = set()
    for i, spec in enumerate(objectives, start=1):
        code = str(spec.get("code", "")).strip()
        if not code or code in codes:
            problems.append(Problem(_("Give each objective its own code."), row=i, field="code"))
        codes.add(code)
        if not str(spec.get("text_zh", "")).strip():
            problems.append(Problem(_("Write the objective in Chinese."), row=i, field="text_zh"))
        unknown = [c for c in spec.get("competencies") or [] if known is not None and c not in known]
        if unknown:
            problems.append(
                Problem(
                    _("No competency %(codes)s in the programme's framework.") % {"codes": ", ".join(unknown)},
                    row=i,
                    field="competencies",
                )
            )
        try:
            target = Decimal(str(spec.get("target_percent", 70)))
        except ArithmeticError:
            target = Decimal(-1)
        if not Decimal(0) < target <= Decimal(100):
            problems.append(Problem(_("The expected attainment is a percentage above 0, at most 100."), row=i,
                                    field="target_percent"))  # fmt: skip
        for item, points in (spec.get("items") or {}).items():
            if item not in components:
                problems.append(
                    Problem(_("No assessment item %(code)s in this course.") % {"code": item}, row=i, field="items")
                )
            elif _decimal(points) is None or _decimal(points) <= 0:
                problems.append(Problem(_("Points must be above 0."), row=i, field="items"))
    if problems:
        raise CbecError(problems)
    course.objectives.all().delete()
    out = []
    for order, spec in enumerate(objectives):
        obj = CourseObjective.objects.create(
            course=course,
            code=spec["code"].strip(),
            order=order,
            text_zh=spec["text_zh"].strip(),
            text_en=str(spec.get("text_en", "")).strip(),
            competencies=list(spec.get("competencies") or []),
            requirements=list(spec.get("requirements") or []),
            target_percent=Decimal(str(spec.get("target_percent", 70))),
        )
        for item, points in (spec.get("items") or {}).items():
            ObjectiveComponent.objects.create(objective=obj, component=components[item], weight=Decimal(str(points)))
        out.append(obj)
    linked = [{"code": o.code, "items": dict(spec.get("items") or {})} for o, spec in zip(out, objectives, strict=True)]
    audit.record(audit.UPDATE, course, actor=actor, after={"objectives": linked})
    return out


@transaction.atomic
def measures_save(
    *, course: Course, school_class: SchoolClass, measures_zh: str, measures_en: str, term: str = "", actor=None
):
    """The class's report of the course: the term it covers and the teacher's improvement measures."""
    report, _created = ObjectiveReport.objects.get_or_create(course=course, school_class=school_class)
    report.measures_zh, report.measures_en = measures_zh.strip(), measures_en.strip()
    report.term = term.strip()[:40]
    report.written_by = actor if getattr(actor, "pk", None) else None
    report.save()
    return report
