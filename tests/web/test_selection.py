"""Class selection (order class, entrepreneurial class): weighted ranking within a quota that explains itself, ties
broken by a stated rule; students see only whether they were selected, enterprise tutors only their own order
classes (read-only), teachers view, directors edit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from cbec_talent.accounts.models import Role, User, UserRole
from cbec_talent.cohorts import services as cohort_services
from cbec_talent.cohorts.models import Grade, SchoolClass, Student
from cbec_talent.core.errors import CbecError
from cbec_talent.core.excel import SheetSpec, write_workbook
from cbec_talent.partnerships.models import Agreement, Enterprise
from cbec_talent.programmes.models import Programme
from cbec_talent.selection import services
from cbec_talent.selection.demo import create_demo_data
from cbec_talent.selection.models import ClassSelection, SelectionCandidate

HEADERS = ["Student number", "willingness", "professional", "learning", "diligence"]


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def xlsx(rows, headers=HEADERS) -> bytes:
    return write_workbook([(SheetSpec("Candidates", headers), rows)])


@pytest.fixture
def world(role_users):
    programme = Programme.objects.get(code="P000-CBEC")
    course = programme.courses.get(code="SP01")
    cohort_services.plan_save(
        course=course,
        components=[
            {"code": "EXAM", "kind": "theory_exam", "weight": 50, "competencies": []},
            {"code": "OPS", "kind": "platform_operation", "weight": 50, "competencies": ["OPS.PLATFORM"]},
        ],
    )
    cohort = cohort_services.cohort_create(programme=programme, intake_year=2025, name="sel")
    klass = SchoolClass.objects.create(cohort=cohort, name="S1")
    students = []
    for i, grade in enumerate((90, 60, 75, None)):
        s = Student.objects.create(number=f"S-{i}", name=f"stu{i}", school_class=klass)
        if grade is not None:
            for comp in course.assessment_components.all():
                Grade.objects.create(student=s, component=comp, score=grade)
        students.append(s)
    students[1].user = role_users["student"]
    students[1].save()
    alpha = Enterprise.objects.create(name="Alpha Order Co")
    alpha.members.add(role_users["enterprise_tutor"])
    beta = Enterprise.objects.create(name="Beta Order Co")
    tutor_b = User.objects.create_user(username="tutor_beta", password="Correct-horse-42")
    UserRole.objects.create(user=tutor_b, role=Role.ENTERPRISE_TUTOR)
    beta.members.add(tutor_b)
    today = dt.date.today()
    order = Agreement.objects.create(
        enterprise=alpha,
        kind="order_class",
        title="Amazon order class",
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=700),
        quota=2,
    )
    beta_order = Agreement.objects.create(
        enterprise=beta,
        kind="order_class",
        title="Beta order class",
        start=today,
        end=today + dt.timedelta(days=365),
        quota=5,
    )
    base = Agreement.objects.create(
        enterprise=alpha, kind="internship_base", title="Base", start=today, end=today + dt.timedelta(days=365)
    )
    return {
        "students": students,
        "order": order,
        "beta_order": beta_order,
        "base": base,
        "tutor_b": tutor_b,
        **role_users,
    }


def make_selection(world, rows=None, **kwargs):
    selection = services.selection_create(
        kind="order_class", title="2026 Amazon order class", agreement=world["order"], **kwargs
    )
    rows = rows or [("S-0", 80, None, 70, 60), ("S-1", 90, None, 80, 90), ("S-2", 70, None, 60, 70)]
    services.candidates_import(selection=selection, data=xlsx(rows))
    return selection


def test_create_takes_the_agreements_quota_and_paper_004_criteria(world):
    selection = services.selection_create(kind="order_class", title="T", agreement=world["order"])
    assert selection.quota == 2 and selection.status == "draft"
    assert selection.criterion_codes == ["willingness", "professional", "learning", "diligence"]
    assert sum(c["weight"] for c in selection.criteria) == pytest.approx(100)
    assert all(c["label_zh"] and c["label_en"] for c in selection.criteria)
    with pytest.raises(CbecError, match="needs its order-class agreement"):
        services.selection_create(kind="order_class", title="T", quota=3)
    with pytest.raises(CbecError, match="not an order-class agreement"):
        services.selection_create(kind="order_class", title="T", agreement=world["base"], quota=3)
    bad = [{"code": "a", "label_en": "A", "label_zh": "甲", "weight": 60}]
    with pytest.raises(CbecError, match="add up to 100"):
        services.selection_create(kind="entrepreneurial", title="E", quota=3, criteria=bad)
    entre = services.selection_create(kind="entrepreneurial", title="E", quota=3)
    assert entre.agreement is None and entre.quota == 3


def test_import_is_all_or_nothing_with_row_and_column(world):
    selection = services.selection_create(kind="order_class", title="T", agreement=world["order"])
    rows = [("S-0", 80, None, 70, 60), ("NOPE", 80, 1, 1, 1), ("S-1", "lots", 50, 50, 50), ("S-0", 1, 1, 1, 1)]
    with pytest.raises(CbecError) as err:
        services.candidates_import(selection=selection, data=xlsx(rows))
    where = {(p.row, p.field) for p in err.value.problems}
    assert (3, "Student number") in where, "unknown student on row 3"
    assert (4, "willingness") in where, "not a number on row 4"
    assert (5, "Student number") in where, "duplicate student on row 5"
    assert not SelectionCandidate.objects.filter(selection=selection).exists(), "nothing stored"
    with pytest.raises(CbecError) as err:
        services.candidates_import(selection=selection, data=xlsx([("S-0", 101, 1, 1, 1)]))
    assert err.value.problems[0].field == "willingness" and "between 0 and 100" in str(err.value)
    # Chinese labels are accepted as column headers too
    counts = services.candidates_import(
        selection=selection,
        data=xlsx([("S-0", 80, 70, 60, 50)], headers=["学号", "意愿与兴趣", "专业能力", "学习能力", "勤奋程度"]),
    )
    assert counts == {"created": 1, "updated": 0}
    assert SelectionCandidate.objects.get(selection=selection).scores == {
        "willingness": 80,
        "professional": 70,
        "learning": 60,
        "diligence": 50,
    }


def test_rank_uses_attainment_for_professional_ability_and_explains(world):
    selection = make_selection(world)
    services.selection_rank(selection=selection)
    cands = {c.student.number: c for c in selection.candidates.select_related("student")}
    # professional ability is computed from attainment: better grades, higher value
    assert (
        cands["S-0"].computed["professional"]
        > cands["S-2"].computed["professional"]
        > cands["S-1"].computed["professional"]
    )
    for c in cands.values():
        expected = sum(c.score_of(k["code"]) * k["weight"] / 100 for k in selection.criteria)
        assert float(c.total) == pytest.approx(expected, abs=1e-3)
        parts = c.reasons["contributions"]
        assert sum(p["contribution"] for p in parts) == pytest.approx(float(c.total), abs=2e-3)
        assert {p["source"] for p in parts if p["code"] == "professional"} == {"computed"}
    ranked = sorted(cands.values(), key=lambda c: c.rank)
    assert [float(c.total) for c in ranked] == sorted((float(c.total) for c in ranked), reverse=True)
    assert [c.selected for c in ranked] == [True, True, False], "quota 2"
    # a manual score overrides the computed one and discards the ranking
    services.candidate_scores_set(candidate=cands["S-2"], scores={"professional": "100"})
    selection.refresh_from_db()
    assert selection.ranked_at is None and not selection.candidates.exclude(rank=None).exists()
    services.selection_rank(selection=selection)
    c2 = selection.candidates.get(student__number="S-2")
    assert [p["source"] for p in c2.reasons["contributions"] if p["code"] == "professional"] == ["manual"]
    assert c2.score_of("professional") == 100


def test_missing_scores_block_the_ranking(world):
    selection = make_selection(world, rows=[("S-3", 80, None, 70, 60), ("S-0", 70, None, 70, 70)])
    with pytest.raises(CbecError) as err:
        services.selection_rank(selection=selection)
    assert [p.field for p in err.value.problems] == ["professional"] and "S-3" in str(err.value)


def test_equal_totals_are_decided_by_the_stated_rule_in_both_languages(world):
    rows = [("S-0", 80, 70, 70, 70), ("S-1", 70, 80, 70, 70), ("S-2", 70, 80, 70, 70)]  # all 73
    selection = make_selection(world, rows=rows)
    services.selection_rank(selection=selection)
    ranked = list(selection.candidates.select_related("student").order_by("rank"))
    assert [c.student.number for c in ranked] == ["S-0", "S-1", "S-2"]
    assert [float(c.total) for c in ranked] == [73.0, 73.0, 73.0]
    selection.refresh_from_db()
    assert selection.boundary_tie
    second = services.tie_note(selection, ranked[1].reasons)
    assert "Willingness and interest (80 > 70)" in second["en"] and "意愿与兴趣" in second["zh"]
    third = services.tie_note(selection, ranked[2].reasons)
    assert "student number S-1" in third["en"] and "学号" in third["zh"]
    rule = services.tie_rule(selection)
    assert "Willingness and interest, then Professional ability" in rule["en"]
    assert "先比意愿与兴趣，再比专业能力" in rule["zh"]


def test_publish_freezes_and_needs_a_ranking(world):
    selection = make_selection(world)
    with pytest.raises(CbecError, match="Rank the candidates"):
        services.selection_publish(selection=selection)
    services.selection_rank(selection=selection)
    services.selection_publish(selection=selection)
    with pytest.raises(CbecError, match="published"):
        services.candidates_import(selection=selection, data=xlsx([("S-3", 1, 1, 1, 1)]))
    with pytest.raises(CbecError, match="published"):
        services.selection_rank(selection=selection)


def test_director_runs_a_selection_in_the_browser(client, world):
    client.force_login(world["director"])
    response = client.post(
        "/partners/selections/",
        {"kind": "order_class", "title": "Web order class", "agreement": world["order"].pk, "quota": ""},
    )
    selection = ClassSelection.objects.get(title="Web order class")
    assert response.status_code == 302 and selection.quota == 2
    upload = io.BytesIO(xlsx([("S-0", 80, None, 70, 60), ("S-1", 90, 95, 80, 90), ("S-2", 70, None, 60, 70)]))
    upload.name = "c.xlsx"
    assert client.post(f"/partners/selections/{selection.pk}/import/", {"file": upload}).status_code == 302
    assert client.post(f"/partners/selections/{selection.pk}/rank/").status_code == 302
    page = client.get(f"/partners/selections/{selection.pk}/").content.decode()
    assert 'id="ranking"' in page and 'id="selection-chart"' in page and "selection-chart-data" in page
    # the rule in the reader's language only: Chinese by default, English after switching
    assert "学号小者在前" in page and "lower student number" not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(f"/partners/selections/{selection.pk}/").content.decode()
    assert "lower student number" in english and "学号小者在前" not in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert 'data-student="S-1" data-rank="1" data-selected="1"' in page
    # change the weights: ranking discarded
    data = {"title": "Web order class", "quota": 1, "w_willingness": 40, "w_professional": 40, "w_learning": 10}
    data["w_diligence"] = 10
    assert client.post(f"/partners/selections/{selection.pk}/settings/", data).status_code == 302
    selection.refresh_from_db()
    assert selection.quota == 1 and not selection.is_ranked
    data["w_diligence"] = 30  # 120 in all
    response = client.post(f"/partners/selections/{selection.pk}/settings/", data)
    body = response.content.decode()  # the page is in Chinese by default
    assert response.status_code == 400 and ("add up to 100" in body or "权重之和必须为 100" in body)
    client.post(f"/partners/selections/{selection.pk}/rank/")
    # a bad upload shows row and column, stores nothing
    bad = io.BytesIO(xlsx([("S-0", "x", 1, 1, 1)]))
    bad.name = "bad.xlsx"
    response = client.post(f"/partners/selections/{selection.pk}/import/", {"file": bad})
    assert response.status_code == 400 and 'data-row="2"' in response.content.decode()
    export = client.get(f"/partners/selections/{selection.pk}/ranking.xlsx")
    ws = load_workbook(io.BytesIO(export.content)).worksheets[0]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows][0] == "S-1" and rows[0][0] == 1
    assert [r[-2] for r in rows].count(rows[0][-2]) == 1, "quota 1: only the first is marked selected"
    assert client.post(f"/partners/selections/{selection.pk}/publish/").status_code == 302
    selection.refresh_from_db()
    assert selection.is_published
    page = client.get(f"/partners/selections/{selection.pk}/").content.decode()
    assert 'id="rank"' not in page, "a published selection offers no edits"


def test_pdf_of_the_ranking(client, world):
    from django.template.loader import render_to_string

    from cbec_talent.core.pdf import cjk_font_available

    selection = make_selection(world)
    services.selection_rank(selection=selection)
    ranked = list(selection.candidates.select_related("student").order_by("rank"))
    html = render_to_string(
        "selection/pdf.html",
        {
            "selection": selection,
            "criteria": selection.labelled_criteria(),
            "ranking": services.ranking_rows(selection, ranked),
            "rule": services.tie_rule(selection),
            "cjk_font_stack": "sans-serif",
        },
    )
    assert services.tie_rule(selection)["zh"] in html
    assert html.index(ranked[0].student.number) < html.index(ranked[-1].student.number)
    client.force_login(world["teacher"])
    response = client.get(f"/partners/selections/{selection.pk}/ranking.pdf")
    if not cjk_font_available():
        assert response.status_code == 302
        pytest.skip("no CJK font on this machine")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_student_sees_only_whether_selected_once_published(client, world):
    selection = make_selection(world)
    services.selection_rank(selection=selection)
    client.force_login(world["student"])  # owns S-1
    assert client.get(f"/partners/selections/{selection.pk}/").status_code == 403, "draft is not shown"
    assert "2026 Amazon order class" not in client.get("/partners/selections/").content.decode()
    services.selection_publish(selection=selection)
    own = selection.candidates.get(student__number="S-1")
    page = client.get(f"/partners/selections/{selection.pk}/").content.decode()
    assert f'data-selected="{int(own.selected)}"' in page
    assert "S-0" not in page and "S-2" not in page and 'id="ranking"' not in page, "nobody else's row"
    listing = client.get("/partners/selections/").content.decode()
    assert 'class="own-result"' in listing
    assert client.get(f"/partners/selections/{selection.pk}/ranking.xlsx").status_code == 403
    assert client.post(f"/partners/selections/{selection.pk}/rank/").status_code == 403


def test_enterprise_tutor_sees_own_order_classes_read_only(client, world):
    selection = make_selection(world)
    services.selection_rank(selection=selection)
    other = services.selection_create(kind="order_class", title="Beta class", agreement=world["beta_order"])
    entre = services.selection_create(kind="entrepreneurial", title="Entrepreneurs", quota=4)
    client.force_login(world["enterprise_tutor"])
    listing = client.get("/partners/selections/").content.decode()
    assert "2026 Amazon order class" in listing and "Beta class" not in listing and "Entrepreneurs" not in listing
    page = client.get(f"/partners/selections/{selection.pk}/").content.decode()
    assert 'id="ranking"' in page and 'id="rank"' not in page and 'id="import-form"' not in page
    assert client.get(f"/partners/selections/{selection.pk}/ranking.xlsx").status_code == 200
    assert client.get(f"/partners/selections/{other.pk}/").status_code == 403
    assert client.get(f"/partners/selections/{entre.pk}/").status_code == 403
    assert client.post(f"/partners/selections/{selection.pk}/rank/").status_code == 403
    client.force_login(world["tutor_b"])
    assert client.get(f"/partners/selections/{selection.pk}/").status_code == 403
    client.force_login(world["teacher"])
    page = client.get(f"/partners/selections/{selection.pk}/").content.decode()
    assert 'id="ranking"' in page and 'id="rank"' not in page
    assert client.post(f"/partners/selections/{selection.pk}/rank/").status_code == 403


def test_selection_list_query_count(client, world, django_assert_max_num_queries):
    for i in range(6):
        make_selection(world, rows=[("S-0", 80, 1, 70, 60), ("S-1", 90, 2, 80, 90)]).title = f"x{i}"
    client.force_login(world["director"])
    with django_assert_max_num_queries(12):
        response = client.get("/partners/selections/")
    assert response.content.decode().count("data-selection=") == 6


def test_detail_query_count(client, world, django_assert_max_num_queries):
    rows = [(s.number, 50 + i, 60, 70, 80) for i, s in enumerate(world["students"])]
    selection = make_selection(world, rows=rows)
    services.selection_rank(selection=selection)
    client.force_login(world["director"])
    with django_assert_max_num_queries(14):
        response = client.get(f"/partners/selections/{selection.pk}/")
    assert response.content.decode().count('data-rank="') == 4


def test_demo_selections_are_idempotent_and_explain_a_tie(db):
    from cbec_talent.cohorts.demo import create_demo_data as cohorts_demo
    from cbec_talent.partnerships.demo import create_demo_data as partnerships_demo

    cohorts_demo()
    partnerships_demo()
    first = create_demo_data()
    again = create_demo_data()
    assert [s.pk for s in first] == [s.pk for s in again] and ClassSelection.objects.count() == 2
    order, entre = first
    assert order.is_published and not entre.is_published and entre.is_ranked
    assert order.candidates.filter(selected=True).count() == 6
    notes = [c.reasons["tie_break"] for c in order.candidates.all() if c.reasons.get("tie_break")]
    assert any(n["by"] == "student_number" for n in notes)


def test_template_sheet_round_trips(client, world):
    selection = make_selection(world)
    client.force_login(world["director"])
    sheet = client.get(f"/partners/selections/{selection.pk}/sheet.xlsx")
    upload = io.BytesIO(sheet.content)
    upload.name = "sheet.xlsx"
    before = {c.student_id: c.scores for c in selection.candidates.all()}
    assert client.post(f"/partners/selections/{selection.pk}/import/", {"file": upload}).status_code == 302
    assert {c.student_id: c.scores for c in selection.candidates.all()} == before


def test_removing_a_candidate_discards_the_ranking(client, world):
    selection = make_selection(world)
    services.selection_rank(selection=selection)
    victim = selection.candidates.get(student__number="S-0")
    client.force_login(world["teacher"])
    assert client.post(f"/partners/selections/candidates/{victim.pk}/remove/").status_code == 403
    client.force_login(world["director"])
    assert client.post(f"/partners/selections/candidates/{victim.pk}/remove/").status_code == 302
    selection.refresh_from_db()
    assert not selection.is_ranked and selection.candidates.count() == 2
    assert not selection.candidates.exclude(rank=None).exists()
