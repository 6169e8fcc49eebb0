"""Writes of the credentials app: issue a signed Open Badges 3.0 credential (the double-certificate graduation, or
one attained competency), revoke one. Reads that sign (the status list) live here too, since they need the key.

A graduation credential is issued only when the student's graduation audit passes; a competency credential
only for a competency the student attains (attainment >= the programme's threshold). Each credential gets the
next free index in the revocation status list."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cbec_talent.certification.audit import graduation_audit
from cbec_talent.cohorts.models import Student
from cbec_talent.cohorts.selectors import figures
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.engines.credentials import VC_V2, credential_context, dumps, sign, verify_credential
from cbec_talent.engines.credentials.statuslist import status_list_credential
from cbec_talent.engines.credentials.verify import Verification

from . import keys
from .models import IssuedCredential

STATUS_LIST = "1"


def _now() -> str:
    return timezone.now().astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def base_url() -> str:
    return settings.CBEC_PUBLIC_URL


def status_list_url() -> str:
    return f"{base_url()}/credentials/status/{STATUS_LIST}"


def _issuer(key) -> dict:
    return {
        "id": keys.issuer_did(key),
        "type": ["Profile"],
        "name": settings.CBEC_COLLEGE_NAME,
        "url": base_url() + "/",
    }


def _subject(student: Student) -> dict:
    return {
        "id": f"{base_url()}/credentials/subjects/{student.number}",
        "type": ["AchievementSubject"],
        "name": student.name,
        "identifier": [
            {"type": "IdentityObject", "identityType": "studentId", "identityHash": student.number, "hashed": False}
        ],
    }


def _graduation(student: Student) -> tuple[str, dict, list]:
    result = graduation_audit(student)
    if not result.passed:
        raise CbecError(
            [
                Problem(
                    _("The graduation audit of %(n)s does not pass yet: %(m)s")
                    % {"n": student.number, "m": "; ".join(m.text for m in result.missing)}
                )
            ]
        )
    programme = student.school_class.cohort.programme
    achievement_id = f"{base_url()}/credentials/achievements/graduation/{programme.code}"
    achievement = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Diploma",
        "name": f"{programme.name_zh} 双证毕业 / {programme.name_en}: double-certificate graduation",
        "description": "Completed the programme's credits by module, professional practice certified by school and "
        "enterprise, and a recognised professional certificate (paper 003 double-certificate system).",
        "criteria": {
            "id": f"{achievement_id}#criteria",
            "narrative": "修满各模块及总学分；专业实践经学校和企业双方认定；取得认可的职业资格证书。 "
            "All module and total credits; practice certified by both school and enterprise; a recognised certificate.",
        },
        "fieldOfStudy": programme.name_en or programme.name_zh,
        "humanCode": programme.code,
    }
    evidence = [
        {
            "id": f"{base_url()}/credentials/evidence/held-certificate/{held.pk}",
            "type": ["Evidence"],
            "name": held.label,
            "description": f"obtained {held.obtained.isoformat()}" + (f"; {held.evidence}" if held.evidence else ""),
            "genre": "professional certificate",
        }
        for held in result.certificates
    ]
    name = f"{programme.name_zh} 双证毕业 Double-certificate graduation"
    return name, achievement, evidence


def attained_competencies(student: Student) -> dict[str, float]:
    """Competency code -> attainment (fraction) for the competencies the student attains."""
    programme = student.school_class.cohort.programme
    fig = figures(programme, [student])
    if fig.result is None:
        return {}
    threshold = fig.model.config.threshold
    row = fig.result.competency[0]
    return {
        code: float(row[j]) for j, code in enumerate(fig.model.competencies) if row[j] == row[j] and row[j] >= threshold
    }


def _competency(student: Student, code: str) -> tuple[str, dict, list]:
    attained = attained_competencies(student)
    if code not in attained:
        raise CbecError(
            [
                Problem(
                    _("%(n)s has not attained competency %(c)s.") % {"n": student.number, "c": code}, field="competency"
                )
            ]
        )
    programme = student.school_class.cohort.programme
    from cbec_talent.competencies.models import Competency

    competency = Competency.objects.filter(framework_id=programme.framework_id, code=code).first()
    name_zh = competency.name_zh if competency else code
    name_en = competency.name_en if competency else code
    framework = programme.framework
    achievement_id = f"{base_url()}/credentials/achievements/competency/{framework.code}/{code}"
    achievement = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": f"{name_zh} / {name_en}",
        "description": f"Attained {code} of the {framework.code} framework in the programme {programme.code}.",
        "criteria": {
            "id": f"{achievement_id}#criteria",
            "narrative": f"Attainment of {code} at or above the programme's threshold, rolled up from graded "
            "assessment through the course-competency support matrix.",
        },
        "alignment": [
            {
                "id": f"{base_url()}/frameworks/{framework.code}/{code}",
                "type": ["Alignment"],
                "targetCode": code,
                "targetName": name_en,
                "targetFramework": f"{framework.code} {framework.version}",
                "targetType": "ext:Competency",
                "targetUrl": f"{base_url()}/frameworks/",
            }
        ],
        "humanCode": code,
    }
    evidence = [
        {
            "id": f"{base_url()}/credentials/evidence/attainment/{student.number}/{code}",
            "type": ["Evidence"],
            "name": f"attainment {attained[code]:.0%}",
            "description": f"{code} attainment {attained[code]:.4f} (threshold applied by the programme)",
            "genre": "assessment",
        }
    ]
    return f"{name_zh} {name_en}", achievement, evidence


@transaction.atomic
def credential_issue(*, student: Student, kind: str, competency_code: str = "", actor=None) -> IssuedCredential:
    """Build, sign and store one credential; refused (CbecError) when the student has not earned it."""
    if kind == IssuedCredential.Kind.GRADUATION:
        name, achievement, evidence = _graduation(student)
        competency_code = ""
    elif kind == IssuedCredential.Kind.COMPETENCY:
        if not competency_code:
            raise CbecError([Problem(_("Name the competency (its framework code)."), field="competency")])
        name, achievement, evidence = _competency(student, competency_code)
    else:
        raise CbecError([Problem(_("Unknown credential kind %(k)s.") % {"k": kind}, field="kind")])
    key = keys.college_key()
    subject = _subject(student)
    subject["achievement"] = achievement
    # the next free status-list index; two issuers racing for it meet the unique constraint and the loser retries
    for _attempt in range(5):
        index = (IssuedCredential.objects.aggregate(m=Max("status_index"))["m"] or -1) + 1
        credential = IssuedCredential(
            student=student, kind=kind, competency_code=competency_code, status_index=index, document={},
            issued_by=actor,
        )
        now = _now()
        document = {
            "@context": credential_context(),
            "id": credential.urn,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": _issuer(key),
            "validFrom": now,
            "name": name,
            "credentialSubject": subject,
            "credentialStatus": {
                "id": f"{status_list_url()}#{index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": str(index),
                "statusListCredential": status_list_url(),
            },
        }
        if evidence:
            document["evidence"] = evidence
        credential.document = sign(document, key, created=now)
        try:
            with transaction.atomic():
                credential.save()  # the audit log records the write (accounts.signals -> core.audit.record)
        except IntegrityError:
            continue
        return credential
    raise CbecError([Problem(_("Could not reserve a status list index; try again."))])


@transaction.atomic
def credential_revoke(*, credential: IssuedCredential, reason: str = "", actor=None) -> IssuedCredential:
    if credential.revoked:
        raise CbecError([Problem(_("This credential is already revoked."))])
    credential.revoked_at = timezone.now()
    credential.revoked_by = actor if actor is not None and actor.pk else None
    credential.revocation_reason = reason.strip()[:300]
    credential.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
    return credential


def status_list_document() -> dict:
    """The signed BitstringStatusListCredential of every revoked credential (served publicly)."""
    key = keys.college_key()
    revoked = set(IssuedCredential.objects.filter(revoked_at__isnull=False).values_list("status_index", flat=True))
    now = _now()
    unsigned = status_list_credential(
        url=status_list_url(), issuer=keys.issuer_did(key), valid_from=now, revoked=revoked, contexts=[VC_V2]
    )
    return sign(unsigned, key, created=now)


def _resolve_status(url: str) -> dict | None:
    return status_list_document() if url == status_list_url() else None


def verify_document(document) -> Verification:
    """Verify a credential with this college's keys as the trusted issuers and its own status list."""
    keys.college_key()  # registers the key of an installation that has not issued yet
    return verify_credential(document, trusted_keys=keys.trusted_keys(), status_resolver=_resolve_status)


def credential_file(credential: IssuedCredential) -> str:
    return dumps(credential.document)
