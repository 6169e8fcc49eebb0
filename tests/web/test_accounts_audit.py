"""Sign-in, throttling, roles, and the append-only audit log of writes and sign-ins."""

from __future__ import annotations

import pytest

from cbec_talent.accounts.models import AuditLog
from cbec_talent.competencies.services import competency_update, framework_copy
from cbec_talent.core.audit_context import acting_as


def test_login_is_audited_and_lands_on_the_dashboard(client, make_user):
    make_user("li", "teacher", password="Correct-horse-42")
    response = client.post("/accounts/login/", {"username": "li", "password": "Correct-horse-42"})
    assert response.status_code == 302 and response["Location"] == "/"
    entry = AuditLog.objects.filter(action="login").latest("id")
    assert entry.actor_name == "li"
    assert client.get("/").status_code == 200


def test_repeated_failures_lock_the_account_and_are_audited(client, make_user):
    make_user("wang", "student", password="Correct-horse-42")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "wang", "password": "wrong"})
    assert AuditLog.objects.filter(action="login_failed", actor_name="wang").count() >= 5
    response = client.post("/accounts/login/", {"username": "wang", "password": "Correct-horse-42"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_rules_refuse_a_weak_password(client, make_user):
    user = make_user("zhao", "teacher", password="Correct-horse-42")
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {"old_password": "Correct-horse-42", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password("Correct-horse-42")


def test_a_person_may_hold_several_roles(make_user):
    user = make_user("multi", "teacher", "director")
    assert user.has_role("director") and user.has_role("teacher") and not user.has_role("student")


def test_every_write_is_logged_with_before_and_after(reference, make_user):
    director = make_user("dir", "director")
    with acting_as(director, "test"):
        own = framework_copy(framework=reference, version="audit-1", actor=director)
        comp = own.competencies.get(code="LANG.EN")
        competency_update(
            competency=comp,
            name_zh="商务英语（新）",
            name_en=comp.name_en,
            descriptor_zh=comp.descriptor_zh,
            descriptor_en=comp.descriptor_en,
            keywords_zh=comp.keywords_zh,
            keywords_en=comp.keywords_en,
        )
    entry = AuditLog.objects.filter(object_type="competencies.Competency", action="update").latest("id")
    assert entry.actor == director and entry.channel == "test"
    assert entry.before["name_zh"] != "商务英语（新）" and entry.after["name_zh"] == "商务英语（新）"
    assert AuditLog.objects.filter(action="import", object_type="competencies.Framework").exists()


def test_audit_log_is_append_only(make_user):
    make_user("x", "student")
    entry = AuditLog.objects.latest("id")
    entry.action = "delete"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.update(action="x")


def test_audit_page_lists_entries_for_the_administrator(client, role_users):
    client.force_login(role_users["administrator"])
    response = client.get("/accounts/audit/?q=u_student")
    assert response.status_code == 200
    assert any(e.object_repr == "u_student" for e in response.context["page"])


def test_core_audit_actions_are_the_models_actions():
    from cbec_talent.core import audit

    names = {"CREATE", "UPDATE", "DELETE", "LOGIN", "LOGIN_FAILED", "LOGOUT", "IMPORT"}
    assert {n: getattr(audit, n) for n in names} == {n: AuditLog.Action[n].value for n in names}
    assert set(AuditLog.Action.names) == names
