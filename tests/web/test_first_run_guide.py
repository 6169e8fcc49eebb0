"""The director's first run: the home page offers the loop (import postings -> gap report -> optimiser ->
programme document), ticks each step as this director does it, and stays hidden once dismissed."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cbec_talent.labour_market import demo as market_demo
from cbec_talent.programmes.models import Programme


def _steps(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-step="(\w+)" data-done="([01])"', html))


@pytest.fixture
def programme(db, reference):
    return Programme.objects.get(code="P000-CBEC")


def test_only_directors_are_offered_the_guide(client, role_users, programme):
    for role in ("administrator", "teacher", "enterprise_tutor", "student"):
        client.force_login(role_users[role])
        assert 'id="guide-first_run"' not in client.get("/").content.decode(), role
    client.force_login(role_users["director"])
    html = client.get("/").content.decode()
    assert 'id="guide-first_run"' in html and "初次使用" in html
    assert _steps(html) == {"import": "0", "gap": "0", "optimise": "0", "document": "0"}
    assert f'href="/demand/gap/?programme={programme.pk}"' in html


def test_each_step_is_ticked_when_the_director_has_done_it(
    client, role_users, programme, reference, media_root, django_capture_on_commit_callbacks
):
    director = role_users["director"]
    client.force_login(director)
    upload = SimpleUploadedFile("postings.csv", market_demo.demo_csv(), content_type="text/csv")
    response = client.post("/demand/imports/", {"file": upload, "framework": reference.pk})
    assert response.status_code == 302, response.content.decode()[:500]
    assert _steps(client.get("/").content.decode())["import"] == "0"  # uploaded, not yet imported
    # the mapping page's "Import" confirms the proposed mapping (run inline here, by the worker in production)
    from cbec_talent.labour_market.models import PostingImport
    from cbec_talent.labour_market.services import import_start

    imp = PostingImport.objects.get(file_name="postings.csv", created_by=director)
    import_start(posting_import=imp, mapping=imp.mapping, keep_good_rows=False, run_inline=True)
    steps = _steps(client.get("/").content.decode())
    assert steps["import"] == "1" and steps["gap"] == "0"
    assert client.get(f"/demand/gap/?programme={programme.pk}").status_code == 200
    assert _steps(client.get("/").content.decode())["gap"] == "1"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/demand/gap/optimise/?programme={programme.pk}")
    assert _steps(client.get("/").content.decode())["optimise"] == "1"
    assert client.get(f"/programmes/{programme.pk}/export.xlsx").status_code == 200
    html = client.get("/").content.decode()
    assert _steps(html) == {"import": "1", "gap": "1", "optimise": "1", "document": "1"}
    assert 'data-done="4"' in html
    # another director's guide is their own
    client.force_login(role_users["administrator"])
    from cbec_talent.accounts.models import UserRole

    UserRole.objects.create(user=role_users["administrator"], role="director")
    assert set(_steps(client.get("/").content.decode()).values()) == {"0"}


def test_dismissed_guides_stay_hidden_for_that_user(client, role_users, make_user, programme):
    director = role_users["director"]
    client.force_login(director)
    response = client.post("/accounts/guide/dismiss/", {"guide": "first_run"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert 'id="guide-first_run"' not in client.get("/").content.decode()
    client.logout()
    client.force_login(director)  # a later sign-in
    assert 'id="guide-first_run"' not in client.get("/").content.decode()
    client.force_login(make_user("second_director", "director"))
    assert 'id="guide-first_run"' in client.get("/").content.decode()
    assert client.post("/accounts/guide/dismiss/", {"guide": "../x"}).status_code == 404
