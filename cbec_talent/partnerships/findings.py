"""Consistency check of one internship: agreement, check-ins, weekly logs, evaluations and sign-off."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

KINDS = ("school", "enterprise")


def internship_weeks(post) -> int:
    """Number of weeks from the post's start to its end (week 1 starts on the start date)."""
    return max(1, ((post.end - post.start).days // 7) + 1)


def week_of(post, date: dt.date) -> int:
    return (date - post.start).days // 7 + 1


def internship_findings(placement, *, today: dt.date | None = None) -> list[str]:
    """Problems with a placement's internship, as translated sentences (empty when everything is in order).

    Weekly logs are expected for the weeks that have begun by `today` (default: today); evaluations are
    expected once the post has ended. Uses prefetched relations when present (list pages prefetch them).
    """
    today = today or dt.date.today()
    post = placement.post
    out = []
    covering = [
        a
        for a in post.enterprise.agreements.all()
        if a.kind == "internship_base" and a.start <= post.start and a.end >= post.end
    ]
    if not covering:
        out.append(
            _("No internship base agreement with %(enterprise)s covers %(start)s to %(end)s.")
            % {"enterprise": post.enterprise, "start": post.start, "end": post.end}
        )
    outside = sorted(c.date for c in placement.checkins.all() if not post.start <= c.date <= post.end)
    if outside:
        out.append(
            _("Check-ins outside the internship dates: %(dates)s.")
            % {"dates": ", ".join(d.isoformat() for d in outside)}
        )
    if today >= post.start:
        due = min(internship_weeks(post), week_of(post, min(today, post.end)))
        logged = {log.week for log in placement.weekly_logs.all()}
        missing = [w for w in range(1, due + 1) if w not in logged]
        if missing:
            out.append(_("Weeks without a weekly log: %(weeks)s.") % {"weeks": ", ".join(map(str, missing))})
    evaluations = {e.kind: e for e in placement.evaluations.all()}
    signed = [k for k in KINDS if k in evaluations and evaluations[k].signed_off]
    if len(signed) == 1:
        out.append(
            _("Signed off by the school tutor only.")
            if signed == ["school"]
            else _("Signed off by the enterprise tutor only.")
        )
    if today > post.end:
        if "school" not in evaluations:
            out.append(_("The school tutor's evaluation is missing."))
        if "enterprise" not in evaluations:
            out.append(_("The enterprise tutor's evaluation is missing."))
    return out
