"""The directors' alliance overview: enterprises by size/city/platform, agreements by kind with the ones expiring in
90 days, seats vs applications vs placements, internships with open findings, order-class quota fill; charts, an
Excel export, staff only, a bounded number of queries; and the home-page cards."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook

from cbec_talent.cohorts import services as cohort_services
from cbec_talent.cohorts.models import SchoolClass, Student
from cbec_talent.partnerships import dashboard
from cbec_talent.partnerships.models import (
    Agreement,
    Application,
    Enterprise,
    InternshipPost,
    Placement,
)
from cbec_talent.partnerships.selectors import overview_figures
from cbec_talent.programmes.models import Programme
from cbec_talent.selection import dashboard as selection_dashboard
from cbec_talent.selection import services as selection_services
from cbec_talent.selection.models import SelectionCandidate

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def build(n_enterprises: int, role_users=None):
    """n enterprises, each with an order class (quota 3), an internship base covering its post, one post of 2 seats
    with 3 applicants of whom 1 is placed (and has no weekly log although the internship began: a finding)."""
    cohort = cohort_services.cohort_create(
        programme=Programme.objects.get(code="P000-CBEC"), intake_year=2024, name=f"ov{n_enterprises}"
    )
    klass = SchoolClass.objects.create(cohort=cohort, name=f"OV{n_enterprises}")
    sizes = ["small", "large", "small"]
    out = []
    for i in range(n_enterprises):
        ent = Enterprise.objects.create(
            name=f"Ent {n_enterprises}-{i}",
            city="Ningbo" if i % 2 else "Hangzhou",
            size=sizes[i % 3],
            platforms=["Amazon", "AliExpress"] if i % 2 else ["Amazon"],
        )
        order = Agreement.objects.create(
            enterprise=ent,
            kind="order_class",
            title=f"OC {i}",
            start=TODAY - dt.timedelta(days=100),
            end=TODAY + dt.timedelta(days=30 if i == 0 else 400),
            quota=3,
        )
        Agreement.objects.create(
            enterprise=ent,
            kind="internship_base",
            title=f"IB {i}",
            start=TODAY - dt.timedelta(days=400),
            end=TODAY + dt.timedelta(days=400),
        )
        post = InternshipPost.objects.create(
            enterprise=ent,
            title=f"Post {i}",
            seats=2,
            start=TODAY - dt.timedelta(days=20),
            end=TODAY + dt.timedelta(days=40),
        )
        students = [
            Student.objects.create(number=f"OV{n_enterprises}-{i}-{k}", name=f"s{k}", school_class=klass)
            for k in range(3)
        ]
        for s in students:
            Application.objects.create(student=s, post=post, preference=1)
        Placement.objects.create(student=students[0], post=post, manual=True)
        selection = selection_services.selection_create(kind="order_class", title=f"Sel {i}", agreement=order)
        for k, s in enumerate(students):
            SelectionCandidate.objects.create(
                selection=selection,
                student=s,
                scores={"willingness": 90 - k, "professional": 80, "learning": 70, "diligence": 60},
            )
        selection_services.selection_rank(selection=selection)
        if i == 0:
            selection_services.selection_publish(selection=selection)
        out.append({"enterprise": ent, "order": order, "post": post, "students": students})
    return out


def test_figures_count_what_a_director_checks(db):
    built = build(3)
    with translation.override("en"):
        fig = overview_figures()
    sizes = {r["name"]: r["value"] for r in fig["by_size"]}
    assert sizes == {"Small (10-99)": 2, "Large (1000+)": 1}
    assert {r["name"]: r["value"] for r in fig["by_platform"]} == {"Amazon": 3, "AliExpress": 1}
    assert {r["name"]: r["value"] for r in fig["by_city"]} == {"Hangzhou": 2, "Ningbo": 1}
    kinds = {k["code"]: k for k in fig["kinds"]}
    assert kinds["order_class"] == {**kinds["order_class"], "total": 3, "active": 3, "expiring": 1}
    assert [x["agreement"].title for x in fig["expiring"]] == ["OC 0"] and fig["expiring"][0]["days"] == 30
    post0 = next(p for p in fig["posts"] if p.pk == built[0]["post"].pk)
    assert (post0.seats, post0.n_applications, post0.n_placed) == (2, 3, 1)
    assert fig["unplaced_applicants"] == 6
    assert len(fig["findings"]) == 3 and all("weekly log" in " ".join(f["findings"]) for f in fig["findings"])
    quota = {q["agreement"].title: q for q in fig["quota"]}
    assert (quota["OC 0"]["selected"], quota["OC 0"]["pending"], quota["OC 0"]["percent"]) == (3, 0, 100.0)
    assert (quota["OC 1"]["selected"], quota["OC 1"]["pending"]) == (0, 3)


def test_overview_page_charts_and_export(client, role_users):
    build(2)
    client.force_login(role_users["director"])
    response = client.get("/partners/overview/")
    page = response.content.decode()
    assert response.status_code == 200
    for chart in ("chart-size", "chart-city", "chart-platform", "chart-kinds", "chart-seats", "chart-quota"):
        assert f'id="{chart}"' in page
    data = json.loads(re.search(r'<script id="overview-data" type="application/json">(.*?)</script>', page).group(1))
    assert sum(r["seats"] for r in data["per_enterprise"]) == 4
    assert sum(r["placed"] for r in data["per_enterprise"]) == 2
    assert "partnerships-overview.js" in page
    assert 'id="n-expiring">1<' in page
    export = client.get("/partners/overview/export.xlsx")
    wb = load_workbook(io.BytesIO(export.content))
    assert len(wb.sheetnames) == 6
    posts = list(wb.worksheets[3].iter_rows(min_row=2, values_only=True))
    assert sorted(r[1] for r in posts) == ["Post 0", "Post 1"] and all(r[2:5] == (2, 3, 1) for r in posts)
    for role in ("enterprise_tutor", "student"):
        client.force_login(role_users[role])
        assert client.get("/partners/overview/").status_code == 403


def test_overview_query_count_does_not_grow(client, role_users, django_assert_max_num_queries):
    client.force_login(role_users["teacher"])
    counts = []
    for n in (2, 8):
        build(n)
        with django_assert_max_num_queries(14) as captured:
            response = client.get("/partners/overview/")
        counts.append(len(captured))
        assert response.content.decode().count('data-post="') == Enterprise.objects.count()
    assert counts[0] == counts[1], "the number of queries does not depend on the size of the alliance"


def test_dashboard_cards_by_role(client, role_users):
    built = build(2)
    tutor, student = role_users["enterprise_tutor"], role_users["student"]
    built[0]["enterprise"].members.add(tutor)
    own = built[0]["students"][0]  # placed at Ent 2-0, selected in the published order class
    own.user = student
    own.save()
    def cards(user):  # the alliance's cards and class selection's
        return dashboard.cards(user) + selection_dashboard.cards(user)

    staff = {c["key"]: c["value"] for c in cards(role_users["director"])}
    assert staff["open_posts"] == 2 and staff["unplaced_applicants"] == 4 and staff["expiring_agreements"] == 1
    assert staff["draft_selections"] == 1
    tutor_cards = {c["key"]: c["value"] for c in cards(tutor)}
    assert tutor_cards == {"my_interns": 1, "my_order_classes": 1}
    student_cards = {c["key"]: c for c in cards(student)}
    assert student_cards["my_placement"]["value"] == "Ent 2-0"
    assert student_cards["my_selection"]["value"] == 1
    client.force_login(student)
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert home.status_code == 200 and "Ent 2-0" in home.content.decode()
