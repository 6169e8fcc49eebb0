"""ESCO skills inside the product: an import links each posting to ESCO skills (Chinese and English), the demand
dashboard ranks them beside the framework's competencies, a competency page lists the ESCO skills it covers;
the pages keep their permissions and speak both languages. A few hundred real ESCO skills (../shared/data)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from cbec_talent.competencies import taxonomies
from cbec_talent.labour_market import selectors, services
from cbec_talent.labour_market.models import DemandCount, Posting, PostingImport
from tests.conftest import shared_file

pytestmark = pytest.mark.usefixtures("media_root")

WANTED = ("perform market research", "manage inventory", "negotiate sales contracts", "work in teams", "English ")


@pytest.fixture
def esco_skills(db):
    """About 400 real ESCO skills stored the way load-reference stores them (the flattened CSV)."""
    path = shared_file("esco-skills-flat", "skills.csv")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    picked = body[:400] + [r for r in body[400:] if r[1].startswith(tuple(w.strip() + " " for w in WANTED))]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(picked)
    assert taxonomies.import_esco_skills(out.getvalue().encode()) == len(picked)
    return picked


POSTINGS = (
    "职位名称,公司,职位描述,工作地点,发布日期\n"
    "外贸业务员,甲公司,负责市场调研和库存管理，英语流利,深圳,2024-03-01\n"
    "Sales executive,B Ltd,Negotiate sales contracts with buyers and work in teams,Shenzhen,2024-03-02\n"
    "仓库主管,丙公司,负责库存管理,广州,2024-04-01\n"
)


def run_import(reference) -> PostingImport:
    imp = services.import_create(uploaded_file=SimpleUploadedFile("p.csv", POSTINGS.encode()), framework=reference)
    return services.import_start(posting_import=imp, mapping=imp.mapping, keep_good_rows=False)


def _labels(codes):
    from cbec_talent.competencies import esco_linking

    return set(esco_linking.skill_labels(codes).values())


def test_an_import_links_each_posting_to_esco_skills_in_both_languages(reference, esco_skills):
    imp = run_import(reference)
    assert imp.status == PostingImport.Status.DONE
    chinese, english, store = Posting.objects.filter(posting_import=imp).order_by("row")
    assert {"perform market research", "manage inventory", "English"} <= _labels(chinese.tags["esco"])
    assert chinese.tags["esco"] and "市场调研" in chinese.tags["esco"].values()  # the Chinese words as evidence
    assert {"negotiate sales contracts", "work in teams"} <= _labels(english.tags["esco"])
    assert "manage inventory" in _labels(store.tags["esco"])
    # the pre-aggregated counts equal a count over the stored postings
    rows = DemandCount.objects.filter(posting_import=imp, kind="esco").values_list("code").annotate(n=Sum("postings"))
    pre = dict(rows.order_by())
    direct = selectors.demand_counts_direct(imp.pk)[1]["esco"]
    assert pre == direct and max(pre.values()) == 2


def test_the_dashboard_ranks_esco_skills_beside_the_competencies(client, role_users, reference, esco_skills):
    run_import(reference)
    client.force_login(role_users["teacher"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/demand/")
    html = page.content.decode()
    assert 'id="top-esco"' in html and 'id="top-skills"' in html and "ESCO skills asked for" in html
    first = page.context["esco_ranking"][0]
    assert first["name"] == "manage inventory" and first["postings"] == 2
    assert first["uri"].startswith("http://data.europa.eu/esco/skill/")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "岗位要求的 ESCO 技能" in client.get("/demand/").content.decode()
    export = client.get("/demand/export.xlsx")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    sheet = book["esco_skills"]
    assert "manage inventory" in [row[1] for row in sheet.iter_rows(values_only=True)]


def test_esco_pages_keep_their_permissions(client, role_users, reference, esco_skills):
    assert client.get("/demand/").status_code == 302  # anonymous: to the login page
    client.force_login(role_users["student"])
    assert client.get("/demand/").status_code == 403
    url = f"/frameworks/{reference.pk}/competencies/OPS.SUPPLY/"
    client.logout()
    assert client.get(url).status_code == 302


def test_a_competency_page_lists_the_esco_skills_it_covers(client, role_users, reference, esco_skills):
    client.force_login(role_users["student"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    url = f"/frameworks/{reference.pk}/competencies/OPS.SUPPLY/"
    page = client.get(url)
    assert page.status_code == 200
    skills = page.context["esco_skills"]
    assert "manage inventory" in [s["label"] for s in skills[:5]]
    assert any("inventory" in w.lower() for s in skills for w in s["words"])
    html = page.content.decode()
    assert "ESCO skills this competency covers" in html and 'id="esco-skills"' in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "本能力涵盖的 ESCO 技能" in client.get(url).content.decode()


def test_without_esco_skills_imports_and_pages_work_as_before(client, role_users, reference):
    imp = run_import(reference)
    assert all("esco" not in p.tags for p in Posting.objects.filter(posting_import=imp))
    client.force_login(role_users["teacher"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "No ESCO skill found" in client.get("/demand/").content.decode()
    page = client.get(f"/frameworks/{reference.pk}/competencies/OPS.SUPPLY/")
    assert page.context["esco_skills"] == [] and "No ESCO skill linked" in page.content.decode()
