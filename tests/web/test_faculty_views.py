"""Teacher development pages as each role uses them."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook

from cbec_talent.faculty import services
from cbec_talent.faculty.models import Teacher, TrainingRecord
from cbec_talent.partnerships.models import Enterprise
from cbec_talent.programmes.models import Programme


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["cbec_language"] = "en"


@pytest.fixture
def faculty(role_users):
    """The teacher user's profile (dual-qualified by practice), a colleague without a login (not
    dual-qualified), and the enterprise tutor as a part-time teacher of a practical course."""
    programme = Programme.objects.get(code="P000-CBEC")
    courses = {c.code: c for c in programme.courses.all()}
    ent = Enterprise.objects.create(name="Fac Views Co")
    own = services.teacher_create(
        number="T1", name="Li", user=role_users["teacher"], courses=[courses["SP01"], courses["BS11"]]
    )
    today = dt.date.today()
    services.ledger_entry_create(
        teacher=own,
        entry_type="practice",
        enterprise=ent,
        start=today - dt.timedelta(days=400),
        end=today - dt.timedelta(days=300),
        hours=1000,
        work="ads",
    )
    other = services.teacher_create(number="T2", name="Zhao", courses=[courses["SP06"]])
    training = services.ledger_entry_create(
        teacher=other, entry_type="training", name="Data", start=dt.date(2025, 8, 1), end=dt.date(2025, 8, 5), hours=40
    )
    tutor = services.teacher_create(
        number="E1",
        name="Chen",
        kind=Teacher.Kind.ENTERPRISE,
        enterprise=ent,
        user=role_users["enterprise_tutor"],
        courses=[courses["PR04"]],
    )
    return {"own": own, "other": other, "tutor": tutor, "other_training": training, "enterprise": ent}


def test_the_list_shows_status_figures_and_filters(client_for, role_users, faculty):
    client = client_for(role_users["director"])
    page = client.get("/faculty/")
    html = page.content.decode()
    assert page.status_code == 200
    rows = {t: d for t, d in [(r.teacher.number, r.status.dual) for r in page.context["rows"]]}
    assert rows == {"T1": True, "T2": False, "E1": False}
    assert page.context["figures"]["dual_share"] == 50.0  # 1 of 2 school teachers
    assert 'id="dual-share">50.0%' in html
    assert "at least 960 hours" in html  # the rule text
    assert 'id="chart-practice"' in html
    chart = json.loads(html.split('id="faculty-practice-data" type="application/json">')[1].split("</script>")[0])
    assert sum(chart["hours"]) == 1000
    assert 'data-enterprise="Fac Views Co"' in html
    only_part_time = client.get("/faculty/?kind=enterprise").context["rows"]
    assert [r.teacher.number for r in only_part_time] == ["E1"]
    not_dual = client.get("/faculty/?dual=no").context["rows"]
    assert sorted(r.teacher.number for r in not_dual) == ["E1", "T2"]


def test_the_list_needs_a_fixed_number_of_queries(client_for, role_users, faculty, django_assert_max_num_queries):
    for n in range(15):
        teacher = services.teacher_create(number=f"Q{n:02d}", name=f"q{n}")
        services.ledger_entry_create(
            teacher=teacher,
            entry_type="training",
            name="t",
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 1, 2),
            hours=8,
        )
        services.ledger_entry_create(
            teacher=teacher,
            entry_type="qualification",
            kind="vocational",
            name="q",
            obtained=dt.date(2024, 1, 1),
        )
    client = client_for(role_users["teacher"])
    with django_assert_max_num_queries(12):
        page = client.get("/faculty/")
    assert len(page.context["rows"]) == 18


def test_the_detail_shows_ledger_courses_and_the_reason(client_for, role_users, faculty):
    page = client_for(role_users["teacher"]).get(f"/faculty/teachers/{faculty['own'].pk}/")
    html = page.content.decode()
    assert 'data-dual="yes"' in html and "1000 hours of enterprise practice" in html
    assert 'data-course="SP01"' in html and "Fac Views Co" in html
    assert 'id="add-training"' in html  # own ledger


def test_a_teacher_adds_training_to_their_own_profile_only(client_for, role_users, faculty):
    client = client_for(role_users["teacher"])
    data = {"name": "Ads workshop", "provider": "P", "start": "2026-03-01", "end": "2026-03-02", "hours": "16"}
    response = client.post(f"/faculty/teachers/{faculty['own'].pk}/training/new/", data)
    assert response.status_code == 302
    assert faculty["own"].trainings.get().name == "Ads workshop"
    assert client.post(f"/faculty/teachers/{faculty['other'].pk}/training/new/", data).status_code == 403
    assert not faculty["other"].trainings.filter(name="Ads workshop").exists()
    assert client.get(f"/faculty/teachers/{faculty['own'].pk}/edit/").status_code == 403
    bad = client.post(f"/faculty/teachers/{faculty['own'].pk}/training/new/", {**data, "end": "2026-02-01"})
    assert bad.status_code == 200 and "The end is before the start." in bad.content.decode()


def test_removing_an_entry_by_role(client_for, role_users, faculty):
    entry = faculty["other_training"]
    for role in ("teacher", "enterprise_tutor", "student"):
        assert client_for(role_users[role]).post(f"/faculty/entries/training/{entry.pk}/delete/").status_code == 403
    assert TrainingRecord.objects.filter(pk=entry.pk).exists()
    response = client_for(role_users["director"]).post(f"/faculty/entries/training/{entry.pk}/delete/")
    assert response.status_code == 302 and not TrainingRecord.objects.filter(pk=entry.pk).exists()


def test_a_director_adds_a_part_time_teacher(client_for, role_users, faculty):
    course = Programme.objects.get(code="P000-CBEC").courses.get(code="PR07")
    data = {"number": "E2", "name": "Zhou", "kind": "enterprise", "enterprise": faculty["enterprise"].pk}
    client = client_for(role_users["director"])
    assert "enterprise" in client.post("/faculty/teachers/new/", {**data, "enterprise": ""}).context["form"].errors
    response = client.post("/faculty/teachers/new/", {**data, "courses": [course.pk]})
    assert response.status_code == 302
    assert list(Teacher.objects.get(number="E2").courses.values_list("code", flat=True)) == ["PR07"]
    page = client.get("/faculty/courses/")
    codes = [c.code for c in page.context["courses"]]
    assert codes == ["PR04", "PR07"]
    uncovered = [c.code for c in page.context["uncovered"]]
    assert "PR09" in uncovered and "PR04" not in uncovered and "BS01" not in uncovered


def test_an_enterprise_tutor_sees_only_their_own_profile(client_for, role_users, faculty):
    client = client_for(role_users["enterprise_tutor"])
    assert client.get("/faculty/mine/").url == f"/faculty/teachers/{faculty['tutor'].pk}/"
    page = client.get(f"/faculty/teachers/{faculty['tutor'].pk}/")
    assert page.status_code == 200 and 'id="add-training"' not in page.content.decode()
    assert client.get(f"/faculty/teachers/{faculty['own'].pk}/").status_code == 403
    assert client.get("/faculty/").status_code == 403
    assert client.get("/faculty/ledger.xlsx").status_code == 403
    student = client_for(role_users["student"])
    assert student.get(f"/faculty/teachers/{faculty['tutor'].pk}/").status_code == 403


def test_the_import_page_lists_problems_and_stores_nothing(client_for, role_users, faculty):
    wb = Workbook()
    ws = wb.active
    ws.title = "Training"
    ws.append(["Staff number", "Training", "Start", "End", "Hours"])
    ws.append(["T1", "OK", "2026-01-01", "2026-01-02", 8])
    ws.append(["NOPE", "Bad", "2026-01-01", "2026-01-02", 8])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "ledger.xlsx"
    before = TrainingRecord.objects.count()
    page = client_for(role_users["director"]).post("/faculty/import/", {"file": buf})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-row="3" data-field="Staff number"' in html and "NOPE" in html
    assert TrainingRecord.objects.count() == before


def test_dashboard_card(client_for, role_users, faculty):
    from cbec_talent.faculty.dashboard import cards

    card = cards(role_users["director"])[0]
    assert card["key"] == "dual_qualified" and card["value"] == "50%"
    tutor_card = cards(role_users["enterprise_tutor"])
    assert [c["url"] for c in tutor_card] == ["/faculty/mine/"]
    assert cards(role_users["student"]) == []
    home = client_for(role_users["director"]).get("/").content.decode()
    assert 'data-card="dual_qualified"' in home


@pytest.mark.django_db
def test_demo_data_is_idempotent(make_user):
    from cbec_talent.faculty.demo import create_demo_data
    from cbec_talent.faculty.selectors import teacher_rows

    make_user("teacher", "teacher")
    make_user("tutor", "enterprise_tutor")
    create_demo_data()
    counts = (Teacher.objects.count(), TrainingRecord.objects.count())
    create_demo_data()
    assert (Teacher.objects.count(), TrainingRecord.objects.count()) == counts
    own = Teacher.objects.get(user__username="teacher")
    assert own.trainings.exists() and own.practices.exists()
    part_time = Teacher.objects.filter(kind=Teacher.Kind.ENTERPRISE)
    assert part_time.count() == 2 and all(t.courses.exists() for t in part_time)
    assert part_time.filter(user__username="tutor").exists()
    status = {r.teacher.number: r.status.dual for r in teacher_rows()}
    assert status["T001"] and status["T002"] and not status["T003"]


def test_the_printable_ledger_lists_every_teacher_with_the_status_and_reason(client_for, role_users, faculty):
    import shutil
    import subprocess

    from cbec_talent.core.pdf import cjk_font_available

    if not cjk_font_available() or not shutil.which("pdftotext"):
        pytest.skip("PDF check needs fonts-noto-cjk and poppler-utils (pdftotext)")
    response = client_for(role_users["director"]).get("/faculty/ledger.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = " ".join(text.decode().split())  # table cells wrap
    for number in ("T1", "T2", "E1"):
        assert number in text
    assert "Fac Views Co" in text and "1000" in text
