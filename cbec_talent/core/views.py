"""The one way a POST-and-redirect view reports a form and a service call: field errors and a service's
problems become error messages, success a success message."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.utils.translation import gettext as _

from .errors import CbecError


def report_problems(request, exc: CbecError) -> None:
    for problem in exc.problems:
        messages.error(request, str(problem.message))


def report_form_errors(request, form) -> None:
    """Each error as a message, prefixed by its field's label ("Rank: Enter a whole number.")."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def run_service(request, call: Callable[[], object], *, form=None, success: str | None = None) -> bool:
    """Run ``call()`` (after validating ``form``, if given). Returns True when it ran without problems; every
    problem is reported as a message, and success as ``success`` (default "Saved.")."""
    if form is not None and not form.is_valid():
        report_form_errors(request, form)
        return False
    try:
        call()
    except CbecError as exc:
        report_problems(request, exc)
        return False
    messages.success(request, success or _("Saved."))
    return True
