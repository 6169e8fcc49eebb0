"""Demo alliance for the whole internship cycle: two enterprises (the demo tutor works at the first), agreements of
several kinds (an order-cultivation class with a quota among them), open posts, ranked applications of the demo
students, a matching run, the demo student's placement with both tutors (not started yet, so the student can
check in and log from the first day), and another intern's internship under way: check-ins, weekly logs with
comments, both tutors' signed-off evaluations, the enterprise one written into the course grade.

Idempotent: every part is looked up before it is made, and the matching runs only when none has run yet.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from cbec_talent.accounts.models import User
from cbec_talent.cohorts.models import AssessmentComponent, Student

from . import services
from .findings import reason_text_en
from .models import Agreement, Enterprise, InternshipPost, MatchRun, Placement, TutorEvaluation

FIRST = "深圳跨境优品 Shenzhen Cross-border Goods"
SECOND = "杭州独立站科技 Hangzhou DTC Tech"
START, END = dt.date(2027, 7, 1), dt.date(2027, 8, 31)

ENTERPRISES = {
    FIRST: {
        "city": "深圳 Shenzhen",
        "size": "medium",
        "platforms": ["Amazon", "AliExpress"],
        "markets": ["US", "DE"],
        "contact": "陈经理",
    },
    SECOND: {
        "city": "杭州 Hangzhou",
        "size": "small",
        "platforms": ["Shopify", "TikTok Shop"],
        "markets": ["US", "UK"],
    },
}

AGREEMENTS = [
    (FIRST, "internship_base", "实习基地协议 Internship base", dt.date(2026, 9, 1), dt.date(2029, 8, 31), None),
    (
        FIRST,
        "teaching_factory",
        "亚马逊运营教学工厂 Teaching factory",
        dt.date(2026, 9, 1),
        dt.date(2028, 8, 31),
        None,
    ),
    (SECOND, "order_class", "独立站订单班 DTC order class", dt.date(2026, 9, 1), dt.date(2028, 6, 30), 20),
    (SECOND, "internship_base", "实习基地协议 Internship base", dt.date(2026, 9, 1), dt.date(2028, 8, 31), None),
    (SECOND, "joint_development", "独立站运营教材共建 DTC textbook", dt.date(2026, 9, 1), dt.date(2027, 12, 31), None),
]

POSTS = [
    (FIRST, "亚马逊运营实习 Amazon operations intern", "POS.11", 2, {"OPS.PLATFORM": "apply", "LANG.EN": "apply"}),
    (FIRST, "跨境客服实习 Customer service intern", "POS.07", 3, {"OPS.SERVICE": "apply", "LANG.EN": "aware"}),
    (SECOND, "网络营销实习 Online marketing intern", "POS.04", 2, {"MKT.ONLINE": "apply", "MKT.CONTENT": "aware"}),
]

CHECKINS = [(dt.date(2027, 7, 1), "第一天报到 First day"), (dt.date(2027, 7, 8), "")]
LOGS = [
    (1, "熟悉店铺后台与客服流程。Learned the seller central and the service routine.", "适应较快。", "Good start."),
    (2, "独立处理买家邮件 40 封。Answered 40 buyer e-mails on my own.", "", "回复及时，注意语气。"),
]


def _enterprises(tutor):
    out = {}
    for name, fields in ENTERPRISES.items():
        enterprise = Enterprise.objects.filter(name=name).first() or services.enterprise_create(name=name, **fields)
        out[name] = enterprise
    if tutor is not None:
        out[FIRST].members.add(tutor)
    for ent, kind, title, start, end, quota in AGREEMENTS:
        Agreement.objects.get_or_create(
            enterprise=out[ent],
            kind=kind,
            title=title,
            defaults={
                "start": start,
                "end": end,
                "quota": quota,
                "school_commitments": "课程与场地 Courses and rooms" if kind == "order_class" else "",
                "enterprise_commitments": "兼职教师与实习岗位 Part-time teachers, posts"
                if kind == "order_class"
                else "",
            },
        )
    return out


#: An agreement that runs out soon, so the director's workbench has one to act on (dates relative to the day the
#: demo is first set up; later runs leave it as it is).
EXPIRING = (SECOND, "internship_base", "短期实习协议 Short-term internship agreement")


def _expiring(enterprises) -> None:
    ent, kind, title = EXPIRING
    today = dt.date.today()
    Agreement.objects.get_or_create(
        enterprise=enterprises[ent],
        kind=kind,
        title=title,
        defaults={"start": today - dt.timedelta(300), "end": today + dt.timedelta(60)},
    )


def _posts(enterprises):
    posts = []
    for ent, title, code, seats, requirements in POSTS:
        post = InternshipPost.objects.filter(enterprise=enterprises[ent], title=title).first()
        if post is None:
            post = services.post_create(
                enterprise=enterprises[ent],
                title=title,
                position_code=code,
                seats=seats,
                requirements=requirements,
                languages=["en"],
                start=START,
                end=END,
            )
        posts.append(post)
    return posts


def _internship(placement, *, teacher, tutor, sign_off: bool) -> None:
    """Both tutors, check-ins, weekly logs with comments and both evaluations (signed off or drafts)."""
    if teacher is not None and placement.school_tutor_id is None:
        services.placement_update(placement=placement, school_tutor=teacher)
    if (
        tutor is not None
        and placement.enterprise_tutor_id is None
        and placement.post.enterprise.members.filter(pk=tutor.pk).exists()
    ):
        services.placement_update(placement=placement, enterprise_tutor=tutor)
    if not placement.checkins.exists():
        for date, note in CHECKINS:
            services.checkin_create(placement=placement, date=date, note=note)
    for week, text, school, enterprise in LOGS:
        if placement.weekly_logs.filter(week=week).exists():
            continue
        log = services.weekly_log_save(placement=placement, week=week, text=text)
        if school:
            services.weekly_log_comment(log=log, side="school", comment=school)
        if enterprise:
            services.weekly_log_comment(log=log, side="enterprise", comment=enterprise)
    for kind, by, score, comment in (
        (TutorEvaluation.Kind.SCHOOL, teacher, Decimal("86"), "周志认真，反思到位。"),
        (TutorEvaluation.Kind.ENTERPRISE, tutor, Decimal("90"), "Reliable with buyers; fast learner."),
    ):
        if not placement.evaluations.filter(kind=kind).exists():
            services.evaluation_save(
                placement=placement, by=by, kind=kind, score=score, comment=comment, signed_off=sign_off
            )


@transaction.atomic
def create_demo_data() -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["tutor", "teacher", "director"])}
    tutor, teacher = users.get("tutor"), users.get("teacher")
    enterprises = _enterprises(tutor)
    _expiring(enterprises)
    posts = _posts(enterprises)
    students = list(Student.objects.select_related("school_class__cohort").order_by("number")[:10])
    for i, student in enumerate(students):
        if not student.applications.exists():
            order = [posts[i % 3], posts[(i + 1) % 3], posts[(i + 2) % 3]]
            services.applications_set(student=student, posts=order)
    if not MatchRun.objects.exists():
        services.match_run(actor=users.get("director"))
    mine = Student.objects.filter(user__username="student").first()
    if mine is None:
        return
    placement = Placement.objects.filter(student=mine).select_related("post__enterprise").first()
    if placement is None or placement.post.enterprise.name != FIRST:
        # the demo tutor works at the first enterprise; place the demo student there by hand if the matching
        # did not (the move is marked as changed by hand)
        target = next((p for p in posts[:2] if p.placements.count() < p.seats), None)
        if target is None:
            return
        if placement is None:
            reasons = [{"code": "manual", "by": "director", "post_id": target.pk, "post_label": str(target)}]
            placement = Placement.objects.create(
                student=mine, post=target, manual=True, reasons=reasons, explanation=reason_text_en(reasons)
            )
        else:
            placement = services.placement_update(placement=placement, post=target, actor=users.get("director"))
    # the demo student's internship has its tutors but has not started: a new matching run may still move it
    # (internships under way are kept by the matching); the other intern below shows one under way
    if teacher is not None and placement.school_tutor_id is None:
        services.placement_update(placement=placement, school_tutor=teacher)
    if tutor is not None and placement.enterprise_tutor_id is None:
        services.placement_update(placement=placement, enterprise_tutor=tutor)
    other = (
        Placement.objects.filter(post__enterprise=enterprises[FIRST])
        .exclude(student=mine)
        .select_related("student__school_class__cohort", "post__enterprise")
        .order_by("student__number")
        .first()
    )
    if other is not None and not other.evaluations.exists():
        _internship(other, teacher=teacher, tutor=tutor, sign_off=True)
        component = (
            AssessmentComponent.objects.filter(
                kind="enterprise_tutor", course__programme_id=other.student.school_class.cohort.programme_id
            )
            .order_by("course__code", "code")
            .first()
        )
        if component is not None:
            services.evaluation_to_grade(placement=other, component=component, actor=users.get("director"))
