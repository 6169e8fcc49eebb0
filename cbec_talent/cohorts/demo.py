"""Demo data for the cohorts pages: one cohort on the sample programme P000-CBEC, one class of 12 students
(the demo login "student" is linked to the first, a strong student the certification demo brings to graduation;
"student2" to the fourth, a weak one), plans for four courses and deterministic grades.

Idempotent: running it again changes nothing. Needs the sample programme (reference load) first.
"""

from __future__ import annotations

import random

from django.db import transaction

from cbec_talent.accounts.models import User
from cbec_talent.programmes.models import Programme

from . import services
from .models import Cohort, Enrolment, Grade, SchoolClass, Student

#: the first student (the demo login "student") is strong: the certification demo completes his record to graduation
STRONG_FIRST = 0.88
#: the fourth student (刘洋, ability ~0.44) is linked to the login "student2": the at-risk student of the demo
WEAK_INDEX, WEAK_LOGIN = 3, "student2"
NAMES = ["张同学", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷", "徐鹏", "孙悦"]
PLANS = {
    "SP01": [
        ("EXAM", "theory_exam", 40, []),
        ("OPS", "platform_operation", 40, ["OPS.PLATFORM"]),
        ("TUTOR", "enterprise_tutor", 20, []),
    ],
    "SP05": [
        ("EXAM", "theory_exam", 50, []),
        ("CAMPAIGN", "practical_task", 30, ["MKT.ONLINE"]),
        ("SIM", "simulation", 20, []),
    ],
    "SP07": [
        ("EXAM", "theory_exam", 60, []),
        ("ORAL", "practical_task", 40, ["LANG.EN"]),
    ],
    "SP02": [
        ("EXAM", "theory_exam", 40, []),
        ("SIM", "simulation", 40, []),
        ("CERT", "certification_exam", 20, []),
    ],
}


#: SP01's course objectives (课程目标): competencies, graduation requirements, assessment items with points.
OBJECTIVES = {
    "SP01": [
        {
            "code": "CO1",
            "text_zh": "掌握主流跨境电商平台的规则与店铺运营流程。",
            "text_en": "Know the main cross-border platforms' rules and the store operation routine.",
            "competencies": ["OPS.PLATFORM"],
            "requirements": ["GR1", "GR3"],
            "items": {"EXAM": 40, "OPS": 10},
        },
        {
            "code": "CO2",
            "text_zh": "能独立完成商品上架、listing优化与客服处理等平台实操。",
            "text_en": "Run listing, listing optimisation and customer service on a platform unaided.",
            "competencies": ["OPS.PLATFORM", "OPS.SERVICE"],
            "requirements": ["GR4"],
            "items": {"OPS": 30, "TUTOR": 20},
        },
    ],
}


def _objectives(courses) -> None:
    from .services import objectives_save

    for code, specs in OBJECTIVES.items():
        if code in courses and not courses[code].objectives.exists():
            objectives_save(course=courses[code], objectives=specs)


@transaction.atomic
def create_demo_data(seed: int = 2026) -> Cohort:
    programme = Programme.objects.get(code="P000-CBEC")
    cohort, _created = Cohort.objects.get_or_create(programme=programme, intake_year=2024, name="跨境电商 2024 级")
    school_class, _created = SchoolClass.objects.get_or_create(cohort=cohort, name="跨境2401")
    courses = {c.code: c for c in programme.courses.filter(code__in=PLANS)}
    for code, parts in PLANS.items():
        if not courses[code].assessment_components.exists():
            services.plan_save(
                course=courses[code],
                components=[
                    {"code": k, "kind": kind, "weight": w, "competencies": comps} for k, kind, w, comps in parts
                ],
            )
    _objectives(courses)
    rng = random.Random(seed)
    login = User.objects.filter(username="student").first()
    for n, name in enumerate(NAMES):
        student, created = Student.objects.get_or_create(
            number=f"2024{n + 1:04d}",
            defaults={
                "name": name,
                "school_class": school_class,
                "direction_code": "DIR.OP" if n % 3 else "DIR.DA",
                "languages": ["英语"] if n % 4 else ["英语", "西班牙语"],
            },
        )
        if n == 0 and login is not None and student.user_id is None and not hasattr(login, "student"):
            student.user = login
            student.save()
        weak_login = User.objects.filter(username=WEAK_LOGIN).first() if n == WEAK_INDEX else None
        if weak_login is not None and student.user_id is None and not hasattr(weak_login, "student"):
            student.user = weak_login
            student.save()
        if not created:
            continue
        ability = rng.uniform(0.45, 0.95)
        if n == 0:
            ability = STRONG_FIRST  # the same draws as before for everyone else: only the mean differs
        for course in courses.values():
            Enrolment.objects.get_or_create(
                student=student, course=course, defaults={"term": course.semesters[0] if course.semesters else 1}
            )
            for comp in course.assessment_components.all():
                if n == 5 and comp.kind == "enterprise_tutor":
                    continue  # late evidence: the enterprise evaluation has not arrived yet
                score = max(0.0, min(100.0, rng.gauss(100 * ability, 8)))
                Grade.objects.create(student=student, component=comp, score=round(score, 1))
    return cohort
