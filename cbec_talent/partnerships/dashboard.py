"""Home-page cards of the alliance: staff see open posts, unplaced applicants and agreements about to expire; an
enterprise tutor their interns; a student the placement."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from .access import STAFF_ROLES
from .models import Agreement, InternshipPost, Placement


def cards(user) -> list[dict]:
    out: list[dict] = []
    if has_any_role(user, STAFF_ROLES):
        from cbec_talent.cohorts.models import Student

        today = dt.date.today()
        out.append(
            {
                "key": "open_posts",
                "value": InternshipPost.objects.filter(is_open=True).count(),
                "label": _("Open internship posts"),
                "url": reverse("partnerships:posts"),
            }
        )
        out.append(
            {
                "key": "unplaced_applicants",
                "value": Student.objects.filter(applications__isnull=False, placement__isnull=True).distinct().count(),
                "label": _("Applicants without a placement"),
                "url": reverse("partnerships:placements"),
            }
        )
        out.append(
            {
                "key": "expiring_agreements",
                "value": Agreement.objects.filter(
                    start__lte=today, end__gte=today, end__lte=today + dt.timedelta(90)
                ).count(),
                "label": _("Agreements expiring within 90 days"),
                "url": reverse("partnerships:overview"),
            }
        )
        return out
    if user.has_role("enterprise_tutor"):
        out.append(
            {
                "key": "my_interns",
                "value": Placement.objects.filter(post__enterprise__members=user).count(),
                "label": _("Interns at my enterprise"),
                "url": reverse("partnerships:placements"),
            }
        )
    if user.has_role("student"):
        placement = Placement.objects.filter(student__user=user).select_related("post__enterprise").first()
        out.append(
            {
                "key": "my_placement",
                "value": placement.post.enterprise.name if placement else _("Not placed yet"),
                "label": _("My internship"),
                "url": reverse("partnerships:placement", args=[placement.pk])
                if placement
                else reverse("partnerships:apply"),
            }
        )
    return out


def _student_panel(user, today: dt.date) -> dict:
    from .findings import internship_weeks, week_of

    placement = (
        Placement.objects.filter(student__user=user)
        .select_related("post__enterprise")
        .prefetch_related("weekly_logs", "checkins")
        .first()
    )
    rows: list[dict] = []
    if placement is None:
        rows.append({"text": _("Not placed yet: choose your internship posts"), "url": reverse("partnerships:apply")})
    else:
        post = placement.post
        url = reverse("partnerships:placement", args=[placement.pk])
        if today < post.start:
            rows.append(
                {
                    "text": _("%(post)s starts on %(start)s") % {"post": post, "start": post.start.isoformat()},
                    "detail": _("check in and write the weekly log from the first day"),
                    "url": url,
                    "data": "internship:not-started",
                }
            )
        else:
            due = min(internship_weeks(post), week_of(post, min(today, post.end)))
            logged = {log.week for log in placement.weekly_logs.all()}
            for week in range(1, due + 1):
                if week not in logged:
                    rows.append(
                        {
                            "text": _("Weekly log of week %(week)d is due") % {"week": week},
                            "url": url,
                            "state": "due",
                            "data": f"log:{week}",
                        }
                    )
            if today <= post.end and not any(c.date == today for c in placement.checkins.all()):
                rows.append({"text": _("Check in today"), "url": url, "state": "due", "data": "checkin:today"})
            if not rows:
                rows.append({"text": _("Logs and check-ins are up to date"), "url": url, "state": "ok"})
    return {
        "role": "student",
        "key": "my_internship",
        "order": 40,
        "title": _("My internship: weekly log and check-ins"),
        "rows": rows,
        "empty": "",
    }


def _tutor_panels(user) -> list[dict]:
    from .models import Application, WeeklyLog

    placements = list(
        Placement.objects.filter(enterprise_tutor=user)
        .select_related("student", "post")
        .prefetch_related("evaluations")
        .order_by("post__start", "student__number")
    )
    evaluate = []
    for p in placements:
        mine = next((e for e in p.evaluations.all() if e.kind == "enterprise"), None)
        if mine is not None and mine.signed_off:
            continue
        evaluate.append(
            {
                "text": f"{p.student.number} {p.student.name} · {p.post.title}",
                "detail": (_("draft, not signed off") if mine else _("not evaluated yet"))
                + " · "
                + _("internship %(start)s to %(end)s") % {"start": p.post.start, "end": p.post.end},
                "url": reverse("partnerships:placement", args=[p.pk]),
                "state": "due",
                "data": f"evaluate:{p.student.number}",
            }
        )
    logs = [
        {
            "text": _("%(student)s, week %(week)d") % {"student": log.placement.student, "week": log.week},
            "detail": log.text[:60],
            "url": reverse("partnerships:placement", args=[log.placement_id]),
            "state": "due",
            "data": f"log:{log.placement.student.number}:{log.week}",
        }
        for log in WeeklyLog.objects.filter(placement__enterprise_tutor=user, enterprise_comment="")
        .select_related("placement__student")
        .order_by("placement_id", "week")[:20]
    ]
    pending = (
        Application.objects.filter(
            post__enterprise__members=user, post__is_open=True, enterprise_rank__isnull=True, declined=False
        )
        .values("post_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    posts = InternshipPost.objects.in_bulk({r["post_id"] for r in pending})
    rank = [
        {
            "text": str(posts[r["post_id"]].title),
            "detail": _("%(n)d applicants not ranked yet") % {"n": r["n"]},
            "url": reverse("partnerships:post", args=[r["post_id"]]),
            "state": "due",
            "data": f"rank:{r['post_id']}",
        }
        for r in sorted(pending, key=lambda r: posts[r["post_id"]].title)
    ]
    return [
        {
            "role": "enterprise_tutor",
            "key": "interns_to_evaluate",
            "order": 10,
            "title": _("Interns to evaluate"),
            "figure": str(len(evaluate)),
            "rows": evaluate,
            "empty": _("Every intern of yours has your signed-off evaluation."),
        },
        {
            "role": "enterprise_tutor",
            "key": "logs_to_comment",
            "order": 20,
            "title": _("Weekly logs waiting for your comment"),
            "figure": str(len(logs)),
            "rows": logs,
            "empty": _("No weekly log is waiting for your comment."),
        },
        {
            "role": "enterprise_tutor",
            "key": "applicants_to_rank",
            "order": 30,
            "title": _("Applicants to rank"),
            "figure": str(sum(r["n"] for r in pending)),
            "rows": rank,
            "empty": _("No applicant is waiting for your ranking."),
        },
    ]


def _director_panel(today: dt.date) -> dict:
    agreements = (
        Agreement.objects.filter(start__lte=today, end__gte=today, end__lte=today + dt.timedelta(90))
        .select_related("enterprise")
        .order_by("end")
    )
    rows = [
        {
            "text": f"{a.enterprise.name} · {a.title}",
            "detail": _("%(kind)s, ends %(end)s (in %(days)d days)")
            % {"kind": a.get_kind_display(), "end": a.end.isoformat(), "days": (a.end - today).days},
            "url": reverse("partnerships:agreement_edit", args=[a.pk]),
            "state": "due",
            "data": f"agreement:{a.pk}",
        }
        for a in agreements
    ]
    return {
        "role": "director",
        "key": "agreements_expiring",
        "order": 40,
        "title": _("Agreements expiring within 90 days"),
        "figure": str(len(rows)),
        "rows": rows,
        "empty": _("No agreement expires within 90 days."),
        "link": {"url": reverse("partnerships:overview"), "label": _("Alliance overview")},
    }


def workbench(user) -> list[dict]:
    today = dt.date.today()
    out = []
    if user.has_role("student"):
        out.append(_student_panel(user, today))
    if user.has_role("enterprise_tutor"):
        out.extend(_tutor_panels(user))
    if has_any_role(user, ("director", "administrator")):
        out.append(_director_panel(today))
    return out
