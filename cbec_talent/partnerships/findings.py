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


def _percent(value) -> str:
    return f"{round(float(value) * 100)}%"


def _gap(gap: dict) -> str:
    return _("%(code)s (required %(required)s, attained %(attained)s)") % {
        "code": gap.get("code", ""),
        "required": _percent(gap.get("required", 0)),
        "attained": _percent(gap.get("attained", 0)),
    }


def reason_lines(reasons) -> list[str]:
    """The structured reasons of a placement (Placement.reasons, MatchRun.unplaced[...]["reasons"]) as
    sentences in the active language; codes come from the matching engine (REASON_CODES) plus "manual"."""
    out: list[str] = []
    for r in reasons or []:
        code = r.get("code")
        v = {
            "preference": r.get("preference", 0),
            "post": r.get("post_label") or r.get("post", ""),
            "rank": r.get("student_rank", 0),
            "applicants": r.get("applicants", 0),
            "seats": r.get("seats", 0),
            "filled": r.get("filled", 0),
            "cutoff": r.get("cutoff_rank", 0),
        }
        if code == "placed":
            out.append(
                _(
                    "Got preference %(preference)d, %(post)s: the enterprise ranked this student %(rank)d of"
                    " %(applicants)d applicants (seats: %(seats)d)."
                )
                % v
            )
        elif code == "fit":
            if r.get("score") is not None:
                out.append(_("Fit with the post's requirements: %(score)s.") % {"score": _percent(r["score"])})
            if r.get("met"):
                out.append(_("Required competencies met: %(codes)s.") % {"codes": ", ".join(r["met"])})
            if r.get("missing"):
                out.append(
                    _("Required competencies not yet met: %(gaps)s.")
                    % {"gaps": "; ".join(_gap(g) for g in r["missing"])}
                )
        elif code == "higher_full":
            line = (
                _(
                    "Preference %(preference)d, %(post)s: all %(seats)d seats went to applicants ranked higher;"
                    " the last admitted was ranked %(cutoff)d, this student %(rank)d."
                )
                % v
            )
            if r.get("score") is not None and r.get("cutoff_score") is not None:
                line += " " + _("Fit of this student %(score)s, of the last admitted %(cutoff_score)s.") % {
                    "score": _percent(r["score"]),
                    "cutoff_score": _percent(r["cutoff_score"]),
                }
            out.append(line)
        elif code == "higher_no_seats":
            out.append(_("Preference %(preference)d, %(post)s: the post has no free seats.") % v)
        elif code == "higher_declined":
            out.append(_("Preference %(preference)d, %(post)s: the enterprise declined this applicant.") % v)
        elif code == "higher_blocking":
            out.append(
                _(
                    "Preference %(preference)d, %(post)s: the post has a free seat or admitted someone ranked below"
                    " this student (%(filled)d of %(seats)d seats taken)."
                )
                % v
            )
        elif code == "unplaced":
            out.append(
                _("No post: every one of the %(n)d posts listed was full of applicants ranked higher or declined.")
                % {"n": v["preference"]}
            )
        elif code == "no_preferences":
            out.append(_("No post: no preference was listed."))
        elif code == "manual":
            if r.get("previous"):
                out.append(
                    _("Changed by hand by %(user)s (the matching had given %(previous)s).")
                    % {"user": r.get("by") or "?", "previous": r["previous"]}
                )
            else:
                out.append(_("Changed by hand by %(user)s.") % {"user": r.get("by") or "?"})
        else:
            out.append(str(r))
    return out


def reason_text_en(reasons) -> str:
    """The reasons in English, one paragraph (Placement.explanation, kept for exports)."""
    from django.utils import translation

    with translation.override("en"):
        return " ".join(reason_lines(reasons))
