"""The programme designer pages: paper 000's Table 1 reproduced, the stated-vs-computed check, editing a course."""

from __future__ import annotations

import json

import pytest

from cbec_talent import cli
from cbec_talent.core.errors import CbecError
from cbec_talent.programmes.models import Course, Programme
from cbec_talent.programmes.services import course_update, programme_dict, programme_import

TABLE_1 = {  # paper 000, Table 1: credits, %, total, theory, practice
    "GC": (54, 36, 976, 884, 92),
    "BS": (30, 20, 480, 416, 64),
    "SP": (34, 23, 544, 392, 152),
    "PR": (32, 21, 768, 0, 768),
    "TOTAL": (150, 100, 2768, 1692, 1076),
}


@pytest.fixture
def sample(db):
    return Programme.objects.get(code="P000-CBEC")


def test_the_sample_programme_reproduces_table_1_and_flags_the_stated_ratio(client, role_users, sample):
    client.force_login(role_users["teacher"])
    response = client.get(f"/programmes/{sample.pk}/")
    assert response.status_code == 200
    table = response.context["allocation"]
    got = {r.module: (r.credits, r.percent, r.total_hours, r.theory_hours, r.practice_hours) for r in table.rows}
    got["TOTAL"] = (
        table.total.credits,
        100,
        table.total.total_hours,
        table.total.theory_hours,
        table.total.practice_hours,
    )
    assert got == TABLE_1
    figures = {d.figure: (d.stated, d.computed) for d, _message in response.context["discrepancies"]}
    assert figures == {"TOTAL.theory_practice_ratio": ("62:38", "61:39")}
    html = response.content.decode()
    assert 'id="discrepancies"' in html and "62:38" in html and "61:39" in html
    assert "course_edit" not in html and "/edit/" not in html, "teachers read, they do not edit"


def test_director_edits_a_course_and_the_table_and_validation_follow(client, role_users, sample):
    client.force_login(role_users["director"])
    course = Course.objects.get(programme=sample, code="SP01")
    form = {
        "credits": str(course.credits + 2),
        "theory_hours": course.theory_hours + 32,
        "practice_hours": course.practice_hours,
        "semesters": ",".join(map(str, course.semesters)),
        "required": "on",
        "prerequisites": ",".join(course.prerequisites),
        "teaching_mode": course.teaching_mode,
        "stage": course.stage,
        "supports": "\n".join(f"{k} {v}" for k, v in course.supports.items()),
    }
    response = client.post(f"/programmes/{sample.pk}/courses/SP01/edit/", form)
    assert response.status_code == 302
    page = client.get(f"/programmes/{sample.pk}/")
    total = page.context["allocation"].total
    assert (total.credits, total.total_hours) == (152, 2800)
    rules = {i.rule for i, _m in page.context["issues"]}
    assert "credits_total" in rules and "hours_total" in rules
    figures = {d.figure for d, _m in page.context["discrepancies"]}
    assert "TOTAL.credits" in figures and "SP.credits" in figures


def test_a_bad_course_edit_is_refused_with_the_field_named(client, role_users, sample):
    client.force_login(role_users["director"])
    course = Course.objects.get(programme=sample, code="SP01")
    form = {
        "credits": "3",
        "theory_hours": 48,
        "practice_hours": 0,
        "semesters": "9",
        "teaching_mode": "school",
        "stage": "theory",
        "prerequisites": "NOPE01",
        "supports": "LANG.EN X",
    }
    response = client.post(f"/programmes/{sample.pk}/courses/SP01/edit/", form)
    assert response.status_code == 200 and response.context["form"].errors.keys() == {"supports"}
    form["supports"] = "LANG.EN H"
    response = client.post(f"/programmes/{sample.pk}/courses/SP01/edit/", form)
    fields = {p.field for p in response.context["problems"]}
    assert {"semesters", "prerequisites"} <= fields
    course.refresh_from_db()
    assert course.semesters != [9] and course.prerequisites != ["NOPE01"]


def test_unknown_competency_in_an_imported_programme_is_refused(sample, reference):
    doc = programme_dict(sample)
    doc["programme"]["version"] = "2"
    doc["courses"][3]["supports"]["OPS.NOPE"] = "H"
    with pytest.raises(CbecError) as info:
        programme_import(document=doc, framework=reference)
    assert info.value.problems[0].field == "supports" and "OPS.NOPE" in str(info.value.problems[0].message)
    assert Programme.objects.filter(code="P000-CBEC").count() == 1


def test_course_update_rejects_a_prerequisite_cycle_through_the_engine(sample):
    course = Course.objects.get(programme=sample, code="GC07")
    with pytest.raises(CbecError):
        course_update(
            course=course,
            credits=course.credits,
            theory_hours=48,
            practice_hours=0,
            semesters=[1],
            required=True,
            prerequisites=["NOT-A-COURSE"],
            teaching_mode="school",
            stage="theory",
            supports={},
        )


def test_cli_programme_show_json(sample, capsys):
    args = cli.build_parser().parse_args(["programme", "show", "P000-CBEC", "--json"])
    assert cli.cmd_programme(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["allocation"]["total"]["total_hours"] == 2768
    assert data["allocation"]["discrepancies"][0]["stated"] == "62:38"
    assert "ALL" in data["coverage"]
    assert cli.cmd_programme(cli.build_parser().parse_args(["programme", "list", "--json"])) == 0
    assert json.loads(capsys.readouterr().out)[0]["code"] == "P000-CBEC"


def test_cli_programme_optimise_proves_optimality(sample, capsys):
    args = cli.build_parser().parse_args(["programme", "optimise", "P000-CBEC", "--json", "--time-limit", "60"])
    assert cli.cmd_programme(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "optimal" and result["proven_optimal"] is True
    assert result["totals"]["credits"] >= 150 - 1e-6
    planned = {p["code"] for p in result["plan"]}
    assert {"GC01", "SP01"} <= planned


def test_courses_carry_paper_002_steps_and_table_iii_certificates(sample):
    pr08 = Course.objects.get(programme=sample, code="PR08")
    assert pr08.step == "skills_teaching" and pr08.stage == "certification"
    assert [c.code for c in pr08.certificates.all()] == ["CERT.CBEE"]
    assert Course.objects.get(programme=sample, code="PR11").get_step_display()
    doc = programme_dict(sample)
    doc["programme"]["version"] = "steps"
    doc["courses"][0]["certificates"] = ["CERT.NOPE"]
    with pytest.raises(CbecError) as info:
        programme_import(document=doc, framework=sample.framework)
    assert info.value.problems[0].field == "certificates"
    assert not Programme.objects.filter(version="steps").exists()


def test_director_adds_and_deletes_a_course(client, role_users, sample):
    client.force_login(role_users["director"])
    module = sample.modules.get(code="SP")
    form = {
        "code": "SP99",
        "name_zh": "跨境直播电商",
        "name_en": "Cross-border Live-stream Commerce",
        "module": module.pk,
        "credits": "2",
        "theory_hours": 16,
        "practice_hours": 16,
        "semesters": "6",
        "required": "",
        "prerequisites": "",
        "teaching_mode": "teaching_factory",
        "stage": "operation",
        "supports": "MKT.ONLINE H\nLANG.EN M",
    }
    assert client.post(f"/programmes/{sample.pk}/courses/new/", form).status_code == 302
    page = client.get(f"/programmes/{sample.pk}/")
    assert page.context["allocation"].total.credits == 152
    again = client.post(f"/programmes/{sample.pk}/courses/new/", form)
    assert again.status_code == 200 and again.context["problems"][0].field == "code"
    assert client.post(f"/programmes/{sample.pk}/courses/SP99/delete/").status_code == 302
    assert not Course.objects.filter(programme=sample, code="SP99").exists()
    client.post(f"/programmes/{sample.pk}/courses/GC07/delete/")
    assert Course.objects.filter(programme=sample, code="GC07").exists(), "GC08 needs GC07: refused"
