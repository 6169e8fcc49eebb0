"""Demand-shift alerts: after each finished import, compare its demand with the previous finished import's
(engines.demand.shifts: two-proportion z-test, Benjamini-Hochberg, the director's minimum effect) and, when a
competency's, platform's or language's share moved, tell the directors in the app (the alert and their
workbench) and by e-mail (Django's e-mail backend: EMAIL_HOST / EMAIL_PORT from the environment)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cbec_talent.engines.demand.shifts import compare_windows

from .models import DemandAlertSetting, DemandShiftAlert, PostingImport

log = logging.getLogger(__name__)


def alert_setting() -> DemandAlertSetting:
    return DemandAlertSetting.objects.filter(pk=1).first() or DemandAlertSetting(pk=1)


@transaction.atomic
def alert_setting_update(*, min_effect_percent, alpha, email: bool) -> DemandAlertSetting:
    from cbec_talent.core.errors import CbecError, Problem

    problems = []
    if not 0 < float(min_effect_percent) <= 100:
        problems.append(Problem(_("Give a change between 0 and 100 percentage points."), field="min_effect_percent"))
    if not 0 < float(alpha) < 1:
        problems.append(Problem(_("Give a false discovery rate between 0 and 1."), field="alpha"))
    if problems:
        raise CbecError(problems)
    setting, _created = DemandAlertSetting.objects.get_or_create(pk=1)
    setting.min_effect_percent, setting.alpha, setting.email = min_effect_percent, alpha, email
    setting.save()
    return setting


def previous_import(imp: PostingImport) -> PostingImport | None:
    return (
        PostingImport.objects.filter(status=PostingImport.Status.DONE, created_at__lte=imp.created_at)
        .exclude(pk=imp.pk)
        .order_by("-created_at", "-id")
        .first()
    )


def _recipients() -> list[str]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(roles__role="director", is_active=True).exclude(email="").distinct()
    return sorted({u.email for u in users})


def alert_email(alert: DemandShiftAlert) -> tuple[str, str]:
    """(subject, body) in Chinese and English: each change, the programme's coverage of each competency, and
    the link to the alert (where the optimiser re-runs with the new weights)."""
    from .selectors import alert_rows

    lines = []
    programme = None
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            rows, programme = alert_rows(alert)
            lines.append(
                _("Demand shifted between %(before)s (%(n1)d postings) and %(now)s (%(n2)d postings):")
                % {
                    "before": alert.previous.file_name,
                    "n1": alert.before_total,
                    "now": alert.posting_import.file_name,
                    "n2": alert.now_total,
                }
            )
            for r in rows:
                lines.append(f"- {r['kind_label']} {r['code']} {r['name']}: {r['text']}")
                if r.get("coverage"):
                    lines.append(f"  {r['coverage']}")
            lines.append("")
    with translation.override("zh-hans"):
        zh = _("[CBEC Talent] Demand shifted: %(n)d changes") % {"n": len(alert.shifts)}
    with translation.override("en"):
        en = _("[CBEC Talent] Demand shifted: %(n)d changes") % {"n": len(alert.shifts)}
    subject = f"{zh} / {en}"
    base = getattr(settings, "CBEC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    lines.append(base + reverse("labour_market:alert", args=[alert.pk]))
    if programme is not None:
        lines.append(f"{programme.code} {programme.version}")
    return subject, "\n".join(lines)


def _send(alert: DemandShiftAlert) -> None:
    to = _recipients()
    if not to:
        return
    subject, body = alert_email(alert)
    try:
        send_mail(subject, body, getattr(settings, "DEFAULT_FROM_EMAIL", None), to)
    except Exception as exc:  # the alert stays in the app; the failure is shown on it
        log.warning("demand alert %s: e-mail failed: %s", alert.pk, exc)
        DemandShiftAlert.objects.filter(pk=alert.pk).update(email_error=f"{exc.__class__.__name__}: {exc}"[:300])
        return
    DemandShiftAlert.objects.filter(pk=alert.pk).update(emailed_to=to)


def check_after_import(imp: PostingImport) -> DemandShiftAlert | None:
    """Compare a finished import with the previous one; store (and e-mail) an alert when demand moved. Called
    after each import and after its postings are tagged again (new keywords may move a competency's share); a
    check whose shifts are those of the import's last alert stores and sends nothing new."""
    from .selectors import demand_counts

    if imp.status != PostingImport.Status.DONE:
        return None
    previous = previous_import(imp)
    if previous is None:
        return None
    setting = alert_setting()
    before_total, before = demand_counts(previous.pk)
    now_total, now = demand_counts(imp.pk)
    if not before_total or not now_total:
        return None
    reported, every = compare_windows(
        before,
        before_total,
        now,
        now_total,
        alpha=float(setting.alpha),
        min_effect=float(setting.min_effect_percent) / 100,
    )
    if not reported:
        return None
    shifts = [
        {
            "kind": s.kind,
            "code": s.code,
            "before": s.before,
            "now": s.now,
            "share_before": round(100 * s.share_before, 2),
            "share_now": round(100 * s.share_now, 2),
            "change": round(100 * s.change, 2),
            "z": round(s.z, 3),
            "p": s.p,
            "q": s.q,
        }
        for s in reported
    ]
    last = DemandShiftAlert.objects.filter(posting_import=imp, previous=previous).order_by("-pk").first()
    if last is not None and [(x["kind"], x["code"], x["before"], x["now"]) for x in last.shifts] == [
        (x["kind"], x["code"], x["before"], x["now"]) for x in shifts
    ]:
        return last  # checked again (after tagging again) with the same outcome: nothing new to tell
    alert = DemandShiftAlert.objects.create(
        posting_import=imp,
        previous=previous,
        before_total=before_total,
        now_total=now_total,
        min_effect_percent=float(setting.min_effect_percent),
        alpha=float(setting.alpha),
        tested=len(every),
        shifts=shifts,
    )
    if setting.email:
        _send(alert)
        alert.refresh_from_db()
    return alert
