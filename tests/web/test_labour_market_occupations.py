"""The dashboard's occupation view: postings counted by their coded CSCO 2022 occupation, major group -> detailed
occupation, drill-down to the postings and the evidence, and a director's correction (kept, audited, used as an
alias by the next import)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cbec_talent.accounts.models import AuditLog
from cbec_talent.core.errors import CbecError
from cbec_talent.labour_market import selectors, services
from cbec_talent.labour_market.models import DemandCount, OccupationCorrection, Posting

pytestmark = pytest.mark.usefixtures("media_root")

ROWS = [
    ("招标经理（杭州）", "2024-03-01"),
    ("招标经理-宁波", "2024-03-02"),
    ("急招亚马逊运营专员 双休", "2024-03-05"),
    ("Amazon Operations Specialist", "2024-04-01"),
    ("渠道主任", "2024-04-02"),
    ("电工（包吃住）", "2024-04-03"),
]


def _csv(rows) -> bytes:
    lines = ["职位名称,公司,工作地点,发布日期"] + [f"{t},公司{i},深圳,{d}" for i, (t, d) in enumerate(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _import(reference, rows, name="p.csv"):
    imp = services.import_create(uploaded_file=SimpleUploadedFile(name, _csv(rows)), framework=reference)
    imp = services.import_start(posting_import=imp, mapping=imp.mapping, keep_good_rows=False)
    assert imp.status == "done" and imp.rows_stored == len(rows)
    return imp


def _code(imp, title):
    return next(iter(Posting.objects.get(posting_import=imp, title=title).tags["occupation"]))


def test_postings_are_counted_by_coded_occupation_in_the_hierarchy(reference):
    imp = _import(reference, ROWS)
    assert _code(imp, "招标经理（杭州）") == _code(imp, "招标经理-宁波") == "2-06-07-15"
    assert _code(imp, "急招亚马逊运营专员 双休") == _code(imp, "Amazon Operations Specialist") == "4-01-06-01"
    tree = selectors.occupation_hierarchy(imp.pk)
    assert tree["postings"] == tree["coded"] == 6
    by_major = {g["code"]: g for g in tree["majors"]}
    assert by_major["2-00-00-00"]["name"] == "专业技术人员"
    detail = {r["code"]: r for g in tree["majors"] for r in g["rows"]}
    assert detail["2-06-07-15"]["postings"] == 2 and detail["2-06-07-15"]["name"] == "招标采购专业人员"
    assert detail["4-01-06-01"]["postings"] == 2
    assert sum(g["postings"] for g in tree["majors"]) == 6
    # the pre-aggregated counts agree with a recount of the stored postings
    assert selectors.demand_counts(imp.pk)[1]["occupation"] == selectors.demand_counts_direct(imp.pk)[1]["occupation"]


def test_drill_down_lists_postings_with_evidence(reference, director):
    imp = _import(reference, ROWS)
    page = director.get(reverse("labour_market:occupation_detail", args=["2-06-07-15"]) + f"?import={imp.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "招标采购专业人员" in html and "招标经理（杭州）" in html and "招标经理-宁波" in html
    assert "cleaned: 招标经理" in html and "bracket: 杭州" in html
    assert "correct-form" in html
    assert "大类" in html and "更正代码" in html  # pages default to Chinese
    director.post(reverse("set_language"), {"language": "en"})
    english = director.get(reverse("labour_market:occupation_detail", args=["2-06-07-15"])).content.decode()
    assert "Major group" in english and "Correct the code" in english and "招标经理（杭州）" in english
    tree = director.get(reverse("labour_market:occupations") + f"?import={imp.pk}").content.decode()
    assert 'data-code="2-00-00-00"' in tree and reverse("labour_market:occupation_detail", args=["2-06-07-15"]) in tree


def test_a_correction_is_kept_audited_recounted_and_used_by_the_next_import(reference, role_users):
    director = role_users["director"]
    first = _import(reference, ROWS)
    posting = Posting.objects.get(posting_import=first, title="渠道主任")
    old = _code(first, "渠道主任")
    assert old != "4-01-06-02"
    services.occupation_correct(posting=posting, code="4-01-06-02", actor=director)
    correction = OccupationCorrection.objects.get()
    assert (correction.key, correction.code, correction.previous_code) == ("渠道主任", "4-01-06-02", old)
    assert _code(first, "渠道主任") == "4-01-06-02"
    counts = dict(DemandCount.objects.filter(posting_import=first, kind="occupation").values_list("code", "postings"))
    assert counts.get("4-01-06-02") == 1 and old not in counts
    assert (
        selectors.demand_counts(first.pk)[1]["occupation"] == selectors.demand_counts_direct(first.pk)[1]["occupation"]
    )
    entry = AuditLog.objects.filter(object_type="labour_market.OccupationCorrection").get()
    assert entry.actor == director and entry.after["code"] == "4-01-06-02" and entry.after["posting_code_before"] == old
    # the next import codes the same title, under other noise, with the correction
    second = _import(reference, [("急招渠道主任（广州）", "2024-05-01"), ("渠道主任", "2024-05-02")], "q.csv")
    assert _code(second, "急招渠道主任（广州）") == _code(second, "渠道主任") == "4-01-06-02"
    evidence = Posting.objects.get(posting_import=second, title="渠道主任").tags["occupation"]["4-01-06-02"]
    assert "correction: 渠道主任" in evidence


def test_bad_codes_and_roles_are_refused(reference, role_users, client_for):
    imp = _import(reference, ROWS)
    posting = Posting.objects.get(posting_import=imp, title="电工（包吃住）")
    with pytest.raises(CbecError, match="Not a CSCO 2022 code"):
        services.occupation_correct(posting=posting, code="9-99-99-99", actor=role_users["director"])
    assert not OccupationCorrection.objects.exists()
    url = reverse("labour_market:posting_occupation", args=[posting.pk])
    teacher = client_for(role_users["teacher"])
    assert teacher.post(url, {"code": "6-31-01-03"}).status_code == 403
    assert teacher.get(reverse("labour_market:occupations")).status_code == 200  # staff may read
    page = teacher.get(reverse("labour_market:occupation_detail", args=[_code(imp, "电工（包吃住）")]))
    assert "correct-form" not in page.content.decode()
    director = client_for(role_users["director"])
    response = director.post(url, {"code": "6-31-01-10", "import": str(imp.pk)})
    assert response.status_code == 302 and "6-31-01-10" in response["Location"]
    assert _code(imp, "电工（包吃住）") == "6-31-01-10"
