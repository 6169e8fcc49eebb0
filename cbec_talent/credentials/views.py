"""Credential pages. Public (no sign-in): the verification page, the status list credential, the issuer's key.
Signed in: a student's credentials (issue, download, revoke as access.py allows)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError

from . import keys, selectors, services
from .access import (
    ISSUE_ROLES,
    STUDENT_PAGE_ROLES,
    access_credential_for_user,
    access_student_credentials_for_user,
    can_issue,
)
from .forms import IssueForm, RevokeForm, VerifyForm

VC_TYPE = "application/vc+ld+json"


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone may check a credential: upload the file or paste the JSON."""
    verdict, error, record = None, None, None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = json.loads(form.cleaned_data["json_text"])
            except json.JSONDecodeError as exc:
                error = _("Not JSON: %(e)s") % {"e": exc}
            else:
                verdict = services.verify_document(document)
                record = selectors.credential_of_document(document)
    else:
        form = VerifyForm()
    return render(
        request, "credentials/verify.html", {"form": form, "verdict": verdict, "error": error, "record": record}
    )


def status_list(request, list_id):
    if list_id != services.STATUS_LIST:
        raise Http404
    body = json.dumps(services.status_list_document(), ensure_ascii=False)
    response = HttpResponse(body, content_type=VC_TYPE)
    response["Cache-Control"] = "max-age=60"
    return response


def issuer(request):
    key = keys.college_key()
    did = keys.issuer_did(key)
    return JsonResponse(
        {
            "id": did,
            "name": settings.CBEC_COLLEGE_NAME,
            "verificationMethod": [
                {
                    "id": f"{did}#{keys.public_multibase(key)}",
                    "type": "Multikey",
                    "controller": did,
                    "publicKeyMultibase": keys.public_multibase(key),
                }
            ],
            "trustedKeys": sorted(keys.trusted_keys()),
            "statusList": services.status_list_url(),
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _student(request, pk, action="view"):
    student = selectors.student(pk)
    if student is None:
        raise Http404
    return access_student_credentials_for_user(request.user, student, action)


@roles_required(*STUDENT_PAGE_ROLES)
def student_credentials(request, pk):
    student = _student(request, pk)
    attained = services.attained_competencies(student) if can_issue(request.user) else {}
    return render(
        request,
        "credentials/student.html",
        {
            "student": student,
            "credentials": selectors.student_credentials(student),
            "can_issue": can_issue(request.user),
            "attained": sorted(attained.items()),
            "issue_form": IssueForm(),
            "revoke_form": RevokeForm(),
        },
    )


@roles_required(*ISSUE_ROLES)
@require_POST
def issue(request, pk):
    student = _student(request, pk, "issue")
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            services.credential_issue(
                student=student,
                kind=form.cleaned_data["kind"],
                competency_code=form.cleaned_data["competency"].strip(),
                actor=request.user,
            )
        except CbecError as exc:
            for problem in exc.problems:
                messages.error(request, str(problem))
        else:
            messages.success(request, _("Credential issued."))
    return redirect("credentials:student", pk=student.pk)


@roles_required(*STUDENT_PAGE_ROLES)
def download(request, uuid):
    credential = selectors.credential(uuid)
    if credential is None:
        raise Http404
    access_credential_for_user(request.user, credential, "view")
    response = HttpResponse(services.credential_file(credential), content_type=VC_TYPE + "; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="credential-{credential.student.number}-{uuid}.json"'
    return response


@roles_required(*ISSUE_ROLES)
@require_POST
def revoke(request, uuid):
    credential = selectors.credential(uuid)
    if credential is None:
        raise Http404
    access_credential_for_user(request.user, credential, "revoke")
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.credential_revoke(credential=credential, reason=reason, actor=request.user)
    except CbecError as exc:
        messages.error(request, str(exc.problems[0]))
    else:
        messages.success(request, _("Credential revoked."))
    return redirect("credentials:student", pk=credential.student_id)
