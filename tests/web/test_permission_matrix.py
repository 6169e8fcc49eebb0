"""Every URL x every role: the expected outcome is written down here, and a URL without one fails the test."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ANON = "anonymous"
EVERYONE = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 200, "student": 200}
EDITORS = {"administrator": 200, "director": 200, "teacher": 403, "enterprise_tutor": 403, "student": 403}
STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
ADMIN_ONLY = {"administrator": 200, "director": 403, "teacher": 403, "enterprise_tutor": 403, "student": 403}

# name -> (path template, method, {role: status}, anonymous status). {fw} is the reference framework's id,
# {own} a user-owned framework's id.
EXPECTATIONS = {
    "home": ("/", "get", EVERYONE, 302),
    "accounts:login": ("/accounts/login/", "get", {r: 302 for r in EVERYONE}, 200),
    "accounts:logout": ("/accounts/logout/", "post", {r: 302 for r in EVERYONE}, 302),
    "accounts:password_change": ("/accounts/password/", "get", EVERYONE, 302),
    "accounts:password_change_done": ("/accounts/password/done/", "get", EVERYONE, 302),
    "accounts:audit": ("/accounts/audit/", "get", ADMIN_ONLY, 302),
    "competencies:frameworks": ("/frameworks/", "get", EVERYONE, 302),
    "competencies:import": ("/frameworks/import/", "get", EDITORS, 302),
    "competencies:occupations": ("/frameworks/occupations/?q=电子商务", "get", EVERYONE, 302),
    "competencies:framework": ("/frameworks/{fw}/", "get", EVERYONE, 302),
    "competencies:copy": ("/frameworks/{fw}/copy/", "post", {**EDITORS, "administrator": 302, "director": 302}, 302),
    "competencies:export": ("/frameworks/{fw}/export.xlsx", "get", EVERYONE, 302),
    "competencies:positions": ("/frameworks/{fw}/positions/", "get", EVERYONE, 302),
    "competencies:position": ("/frameworks/{fw}/positions/POS.01/", "get", EVERYONE, 302),
    "competencies:certificates": ("/frameworks/{fw}/certificates/", "get", EVERYONE, 302),
    "competencies:competency": ("/frameworks/{fw}/competencies/LANG.EN/", "get", EVERYONE, 302),
    "competencies:competency_edit": ("/frameworks/{own}/competencies/LANG.EN/edit/", "get", EDITORS, 302),
    "programmes:list": ("/programmes/", "get", STAFF, 302),
    "programmes:detail": ("/programmes/{prog}/", "get", STAFF, 302),
    "programmes:course_edit": ("/programmes/{prog}/courses/SP01/edit/", "get", EDITORS, 302),
    "set_language": ("/i18n/setlang/", "post", {r: 302 for r in EVERYONE}, 302),
    "api:openapi-json": ("/api/openapi.json", "get", EVERYONE, 302),
    "api:openapi-view": ("/api/docs", "get", EVERYONE, 302),
    "api:api-root": ("/api/", "get", {r: 404 for r in EVERYONE}, 404),
    "api:list_frameworks": ("/api/frameworks", "get", EVERYONE, 401),
    "api:list_competencies": ("/api/frameworks/{fw}/competencies", "get", EVERYONE, 401),
    "api:list_positions": ("/api/frameworks/{fw}/positions", "get", EVERYONE, 401),
}
# Each app may add its own expectations in tests/web/permissions/<app>.py: EXPECTATIONS (same shape, placeholders
# allowed) and optionally prepare(role_users, reference) -> {placeholder: value} creating the objects it needs.
EXTRA_MODULES = []
for _path in sorted((Path(__file__).parent / "permissions").glob("*.py")):
    if _path.name.startswith("_"):
        continue
    _spec = importlib.util.spec_from_file_location(f"cbec_perm_{_path.stem}", _path)
    _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
    EXTRA_MODULES.append(_module)
    for _name, _expectation in _module.EXPECTATIONS.items():
        assert _name not in EXPECTATIONS, f"{_name} has two expectations"
        EXPECTATIONS[_name] = _expectation

# Django's own admin site: staff only (the demo administrator is staff), checked on its index.
ADMIN_NAMESPACE = "admin"


def _names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_every_url_has_an_expectation():
    # a name may have several expectations: "app:name" and variants "app:name#foreign" (another owner's object)
    stated = {n.split("#", 1)[0] for n in EXPECTATIONS}
    missing = sorted(n for n in set(_names()) if n not in stated and not n.startswith(ADMIN_NAMESPACE + ":"))
    assert not missing, f"URLs with no permission expectation: {missing}"


@pytest.fixture
def own_framework(reference):
    from cbec_talent.competencies.services import framework_copy

    return framework_copy(framework=reference, version="own-1")


# Expectations grouped by the file that states them: each group is one test, preparing the objects once (the
# prepares of every app run for each group, since a path may use another app's placeholders).
GROUPS = {"core": sorted(n for n in EXPECTATIONS if n not in {k for m in EXTRA_MODULES for k in m.EXPECTATIONS})}
for _module in EXTRA_MODULES:
    GROUPS[_module.__name__.removeprefix("cbec_perm_")] = sorted(_module.EXPECTATIONS)


def _outcomes(client, role_users, name, path, method, by_role, anonymous):
    data = {"version": "perm-copy", "language": "en"} if method == "post" else None
    response = getattr(client, method)(path, data)
    if response.status_code != anonymous:
        yield f"{name} anonymous: {response.status_code} (expected {anonymous})"
    for role, expected in by_role.items():
        client.force_login(role_users[role])
        response = getattr(client, method)(path, data)
        if response.status_code != expected:
            yield f"{name} as {role}: {response.status_code} (expected {expected})"
        client.logout()


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_url_by_role(group, client, role_users, reference, own_framework):
    from cbec_talent.programmes.models import Programme

    values = {"fw": reference.pk, "own": own_framework.pk, "prog": Programme.objects.get(code="P000-CBEC").pk}
    for module in EXTRA_MODULES:
        if hasattr(module, "prepare"):
            values.update(module.prepare(role_users, reference))
    failures = []
    for name in GROUPS[group]:
        template, method, by_role, anonymous = EXPECTATIONS[name]
        failures.extend(_outcomes(client, role_users, name, template.format(**values), method, by_role, anonymous))
    assert not failures, "\n".join(failures)


def test_admin_site_is_for_staff_only(client, role_users, make_user):
    for role, user in role_users.items():
        client.force_login(user)
        assert client.get("/admin/").status_code == 302, role
    staff = make_user("staffer", "administrator")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_reference_framework_cannot_be_edited_even_by_a_director(client, role_users, reference):
    client.force_login(role_users["director"])
    assert client.get(f"/frameworks/{reference.pk}/competencies/LANG.EN/edit/").status_code == 403
