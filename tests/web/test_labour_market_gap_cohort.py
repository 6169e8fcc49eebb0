"""The gap report with a cohort: demand, coverage and the cohort's actual attainment side by side, the ranking
unchanged, the attainment equal to the cohort page's figure and to a hand computation."""

from __future__ import annotations

import pytest

from cbec_talent.cohorts import services
from cbec_talent.cohorts.models import Grade, SchoolClass, Student
from cbec_talent.core.excel import read_workbook
from cbec_talent.programmes.models import Programme
from cbec_talent.programmes.versioning import programme_copy

# SP01 supports OPS.PLATFORM (H), MKT.CONTENT (M), OPS.SERVICE (M) in the sample programme.
PLAN = [
    {"code": "EXAM", "kind": "theory_exam", "weight": 40, "competencies": []},
    {"code": "OPS", "kind": "platform_operation", "weight": 60, "competencies": ["OPS.PLATFORM"]},
]


pytestmark = pytest.mark.usefixtures("media_root")  # uploads go to a temporary folder


@pytest.fixture
def cohort(db, role_users):
    from cbec_talent.labour_market.demo import create_demo_data

    create_demo_data()
    programme = Programme.objects.get(code="P000-CBEC")
    course = programme.courses.get(code="SP01")
    services.plan_save(course=course, components=PLAN)
    cohort = services.cohort_create(programme=programme, intake_year=2025, name="gap")
    klass = SchoolClass.objects.create(cohort=cohort, name="GAP1")
    comps = {c.code: c for c in course.assessment_components.all()}
    for number, exam, ops in (("GA1", 50, 90), ("GA2", 70, 80)):
        student = Student.objects.create(number=number, name=number, school_class=klass)
        Grade.objects.create(student=student, component=comps["EXAM"], score=exam)
        Grade.objects.create(student=student, component=comps["OPS"], score=ops)
    return cohort


def test_cohort_attainment_column_beside_demand_and_coverage(client, role_users, cohort):
    programme = cohort.programme
    client.force_login(role_users["director"])
    plain = client.get(f"/demand/gap/?programme={programme.pk}")
    assert plain.status_code == 200 and plain.context["report"]["postings"] > 0
    assert "cohort-attainment" not in plain.content.decode()
    assert all("attainment" not in r for r in plain.context["report"]["rows"])
    assert cohort in plain.context["cohorts"]

    page = client.get(f"/demand/gap/?programme={programme.pk}&cohort={cohort.pk}")
    assert page.status_code == 200
    rows = {r["code"]: r for r in page.context["report"]["rows"]}
    # weighted average over the two students: OPS.PLATFORM (0.4*50+0.6*90 + 0.4*70+0.6*80) / 2 = 75;
    # MKT.CONTENT is evidenced only by the general EXAM: (50 + 70) / 2 = 60; OPS.SERVICE likewise.
    assert rows["OPS.PLATFORM"]["attainment"] == 75.0
    assert rows["MKT.CONTENT"]["attainment"] == 60.0
    assert rows["LANG.EN"]["attainment"] is None  # no planned course of the cohort supports it yet
    # the same figures as the cohort page's programme attainment
    cohort_page = client.get(f"/cohorts/{cohort.pk}/").context["rows"]
    assert {r["code"]: r["value"] for r in cohort_page} == {
        code: r["attainment"] for code, r in rows.items() if code in {x["code"] for x in cohort_page}
    }
    # the ranking is unchanged by the extra column
    ranked = [(r["rank"], r["code"], r["gap"]) for r in page.context["report"]["rows"]]
    assert ranked == [(r["rank"], r["code"], r["gap"]) for r in plain.context["report"]["rows"]]
    html = page.content.decode()
    assert f'data-code="OPS.PLATFORM" data-rank="{rows["OPS.PLATFORM"]["rank"]}"' in html
    assert 'data-attainment="75.0"' in html and f"/cohorts/{cohort.pk}/explain/OPS.PLATFORM/" in html

    sheets = read_workbook(client.get(f"/demand/gap/export.xlsx?programme={programme.pk}&cohort={cohort.pk}").content)
    exported = {list(r.values())[1]: list(r.values())[-1] for _n, r in sheets["gaps"]}  # code -> last column
    assert exported["OPS.PLATFORM"] == 75.0 and exported["MKT.CONTENT"] == 60.0


def test_a_cohort_of_another_programme_is_ignored(client, role_users, cohort):
    other = programme_copy(programme=cohort.programme, version="v-other")
    client.force_login(role_users["teacher"])
    page = client.get(f"/demand/gap/?programme={other.pk}&cohort={cohort.pk}")
    assert page.status_code == 200 and page.context["cohort"] is None
    assert list(page.context["cohorts"]) == []
    assert all("attainment" not in r for r in page.context["report"]["rows"])
