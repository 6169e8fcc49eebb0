"""Demand dashboard, keyword edits changing the tagging, and the gap report against a programme."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cbec_talent.competencies.models import Competency
from cbec_talent.competencies.services import competency_update, framework_copy
from cbec_talent.core.excel import read_workbook
from cbec_talent.labour_market.models import Posting, PostingImport
from cbec_talent.programmes.models import Programme

HEADER = "title,company,description,location,date\n"
MARCH_APRIL = (
    "跨境电商运营专员,海帆贸易,负责亚马逊店铺运营，英语四级以上，会用Excel做数据分析。,深圳,2024-03-05\n"
    "外贸业务员,东港进出口,开发海外客户，熟悉外贸流程，英语口语流利。,宁波,2024-03-18\n"
    "日语客服专员,樱桥电商,负责日本站客户服务，日语N2以上。,杭州,2024-04-02\n"
    "数据分析师,云图科技,负责销售数据分析与报表。,广州,2024-04-20\n"
)
SECOND_LANGUAGE = (
    "日语运营专员,北辰贸易,负责日本乐天店铺运营，日语流利。,大连,2024-05-03\n"
    "韩语客服,汉江电商,负责韩国站客户咨询，韩语流利。,青岛,2024-05-08\n"
    "俄语业务员,远东商贸,开发俄罗斯客户，俄语熟练。,哈尔滨,2024-05-12\n"
    "小语种翻译,译桥科技,负责西班牙语和法语商品详情翻译。,义乌,2024-05-20\n"
)


pytestmark = pytest.mark.usefixtures("media_root")  # uploads go to a temporary folder


def run_import(client, user, text: str, framework, name="p.csv") -> PostingImport:
    client.force_login(user)
    client.post("/demand/imports/", {"file": SimpleUploadedFile(name, text.encode()), "framework": framework.pk})
    imp = PostingImport.objects.order_by("-pk").first()
    client.post(f"/demand/imports/{imp.pk}/", {f"map_{k}": v for k, v in imp.mapping.items()})
    imp.refresh_from_db()
    assert imp.status == "done", imp.problems
    return imp


def test_dashboard_counts_by_dimension_and_ranks_skills(client, role_users, reference):
    first = run_import(client, role_users["director"], HEADER + MARCH_APRIL, reference)
    run_import(client, role_users["director"], HEADER + SECOND_LANGUAGE, reference, "second.csv")
    client.force_login(role_users["teacher"])
    page = client.get("/demand/")
    assert page.status_code == 200 and page.context["postings"] == 8
    comps = {r["code"]: r["postings"] for r in page.context["tables"]["competency"]}
    tagged = sum("LANG.EN" in p.codes("competency") for p in Posting.objects.all())
    assert comps["LANG.EN"] == tagged >= 2
    assert comps["LANG.X"] >= 5  # the Japanese, Korean, Russian, Spanish/French postings
    months = {r["code"]: r["postings"] for r in page.context["tables"]["month"]}
    assert months == {"2024-03": 2, "2024-04": 2, "2024-05": 4}
    assert page.context["ranking"][0]["code"] == "LANG.X"
    survey = {s["code"]: s for s in page.context["survey"]}
    assert list(survey) == ["LANG.EN", "DATA.ANALYSIS", "OPS.PLATFORM"]
    assert (
        survey["LANG.EN"]["our_rank"] == [r["code"] for r in page.context["tables"]["competency"]].index("LANG.EN") + 1
    )
    assert page.context["chart"]["trend"]["months"] == ["2024-03", "2024-04", "2024-05"]
    only = client.get(f"/demand/?import={first.pk}")
    assert only.context["postings"] == 4
    assert {r["code"]: r["postings"] for r in only.context["tables"]["month"]} == {"2024-03": 2, "2024-04": 2}
    export = client.get(f"/demand/export.xlsx?import={first.pk}")
    sheets = read_workbook(export.content)
    assert {"top_skills", "competencies", "positions", "occupations", "platforms", "cities", "months"} <= set(sheets)
    assert sum(list(rec.values())[2] for _n, rec in sheets["months"]) == 4  # code, name, postings


def test_editing_a_frameworks_keywords_changes_what_is_found(client, role_users, reference):
    own = framework_copy(framework=reference, version="kw-test")
    text = HEADER + "短视频拍摄助理,光影传媒,负责拍摄产品开箱视频并剪辑。,深圳,2024-06-01\n"
    before = run_import(client, role_users["director"], text, own)
    posting = Posting.objects.get(posting_import=before)
    assert "MKT.CONTENT" not in posting.codes("competency")
    content = Competency.objects.get(framework=own, code="MKT.CONTENT")
    competency_update(
        competency=content, name_zh=content.name_zh, name_en=content.name_en, descriptor_zh=content.descriptor_zh,
        descriptor_en=content.descriptor_en, keywords_zh=[*content.keywords_zh, "开箱视频"],
        keywords_en=content.keywords_en,
    )  # fmt: skip
    response = client.post(f"/demand/imports/{before.pk}/retag/")
    assert response.status_code == 302
    posting.refresh_from_db()
    assert "开箱视频" in posting.tags["competency"]["MKT.CONTENT"]  # the evidence
    # the reference framework's keywords, unchanged, still do not find it
    Posting.objects.all().delete()
    run_import(client, role_users["director"], text, reference, "again.csv")
    assert not any("MKT.CONTENT" in p.codes("competency") for p in Posting.objects.all())


def test_gap_report_ranks_demanded_but_uncovered_competency_first(client, role_users, reference):
    run_import(client, role_users["director"], HEADER + SECOND_LANGUAGE + MARCH_APRIL, reference)
    programme = Programme.objects.get(code="P000-CBEC")
    client.force_login(role_users["teacher"])
    page = client.get(f"/demand/gap/?programme={programme.pk}")
    assert page.status_code == 200
    rows = page.context["report"]["rows"]
    top = rows[0]
    assert top["code"] == "LANG.X" and top["status"] == "uncovered" and top["strength"] == 0 and not top["courses"]
    english = next(r for r in rows if r["code"] == "LANG.EN")
    assert english["strength"] > 0 and english["courses"] and english["modules"]
    assert english["rank"] > top["rank"]
    weights = json.loads(client.get(f"/demand/gap/weights.json?programme={programme.pk}").content)
    assert weights == page.context["report"]["weights"]
    assert abs(sum(weights.values()) - 100) < 0.01 and max(weights, key=weights.get) == "LANG.X"
    sheets = read_workbook(client.get(f"/demand/gap/export.xlsx?programme={programme.pk}").content)
    assert list(sheets["gaps"][0][1].values())[:2] == [1, "LANG.X"]  # rank, code


def test_empty_dashboard_and_gap_report_render(client, role_users):
    client.force_login(role_users["administrator"])
    assert client.get("/demand/").context["postings"] == 0
    page = client.get("/demand/gap/")
    assert page.status_code == 200 and page.context["report"]["weights"] == {}


def test_demo_data_is_imported_once(role_users):
    from cbec_talent.labour_market.demo import create_demo_data

    imp = create_demo_data()
    assert imp.status == "done" and imp.rows_stored == 60 and imp.rows_rejected == 0
    assert create_demo_data().pk == imp.pk and PostingImport.objects.count() == 1
