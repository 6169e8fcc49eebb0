"""Importing job postings through the pages: upload, column mapping, background run, duplicates, refusals."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cbec_talent.labour_market.models import Posting, PostingImport
from cbec_talent.labour_market.reading import guess_mapping

HEADER = ["职位名称", "公司", "职位描述", "工作地点", "薪资", "发布日期"]
ROWS = [
    [
        "跨境电商运营专员",
        "深圳海帆贸易有限公司",
        "负责亚马逊店铺运营，英语四级以上，熟练使用Excel做数据分析。",
        "深圳-宝安区",
        "8千-1.2万/月",
        "2024-03-05",
    ],
    [
        "外贸业务员",
        "宁波东港进出口有限公司",
        "开发海外客户，熟悉外贸流程和报关，英语口语流利。",
        "宁波",
        "6000-9000元/月",
        "2024-03-18",
    ],
    [
        "日语客服专员",
        "杭州樱桥电子商务有限公司",
        "负责日本站客户服务与售后，日语N2以上。",
        "杭州",
        "7000-9000元/月",
        "2024-04-02",
    ],
    [
        "数据分析师",
        "广州云图跨境科技有限公司",
        "负责销售数据分析与报表，熟悉SQL和Python。",
        "广州-天河区",
        "1-1.5万/月",
        "2024-04-20",
    ],
]


def _csv(rows, header=HEADER, sep=",") -> str:
    return "\n".join(sep.join(r) for r in [header, *rows]) + "\n"


pytestmark = pytest.mark.usefixtures("media_root")  # uploads go to a temporary folder


def upload(client, name: str, data: bytes, reference):
    return client.post("/demand/imports/", {"file": SimpleUploadedFile(name, data), "framework": reference.pk})


def start(client, imp: PostingImport, mapping: dict, keep=False):
    data = {f"map_{k}": v for k, v in mapping.items()}
    if keep:
        data["keep_good_rows"] = "on"
    return client.post(f"/demand/imports/{imp.pk}/", data)


def test_mapping_is_guessed_from_chinese_and_english_headers():
    assert guess_mapping(["岗位名称", "公司名称", "任职要求", "城市", "月薪", "发布时间"]) == {
        "title": "岗位名称",
        "company": "公司名称",
        "description": "任职要求",
        "location": "城市",
        "salary": "月薪",
        "date": "发布时间",
    }
    assert guess_mapping(["Job Title", "Company Name", "Description", "Source", "Lang"])["title"] == "Job Title"


def test_utf8_csv_is_imported_tagged_and_counted(director, reference):
    response = upload(director, "postings.csv", _csv(ROWS).encode("utf-8"), reference)
    imp = PostingImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/demand/imports/{imp.pk}/")
    assert imp.status == "mapping" and imp.encoding == "utf-8-sig"
    page = director.get(f"/demand/imports/{imp.pk}/")
    assert page.context["form"].initial["map_title"] == "职位名称"
    start(director, imp, imp.mapping)
    imp.refresh_from_db()
    assert imp.status == "done", imp.problems
    assert (imp.rows_read, imp.rows_stored, imp.rows_rejected) == (4, 4, 0)
    assert imp.progress == 1.0
    first = Posting.objects.get(posting_import=imp, row=2)
    assert first.company == "深圳海帆贸易有限公司"
    assert first.posted.isoformat() == "2024-03-05" and first.month == "2024-03"
    assert (first.salary_min, first.salary_max) == (8000.0, 12000.0)
    assert first.city
    assert {"LANG.EN", "DATA.ANALYSIS"} <= first.codes("competency")
    japanese = Posting.objects.get(posting_import=imp, title="日语客服专员")
    assert "LANG.X" in japanese.codes("competency")
    fragment = director.get(f"/demand/imports/{imp.pk}/progress/")
    assert b'data-status="done"' in fragment.content and b"hx-trigger" not in fragment.content


def test_gbk_tsv_with_other_column_names(director, reference):
    header = ["岗位", "企业名称", "岗位职责", "城市", "日期", "来源"]
    rows = [
        [
            "速卖通运营",
            "义乌星河供应链有限公司",
            "负责速卖通平台店铺运营和推广，俄语优先。",
            "金华",
            "2024/5/6",
            "前程无忧",
        ],
        [
            "跨境物流专员",
            "厦门远航国际物流有限公司",
            "负责国际物流与海外仓发货，熟悉清关流程。",
            "厦门",
            "2024年5月9日",
            "智联招聘",
        ],
    ]
    upload(director, "岗位.tsv", _csv(rows, header, "\t").encode("gbk"), reference)
    imp = PostingImport.objects.get()
    assert imp.file_format == "tsv" and imp.encoding == "gb18030"
    assert imp.mapping == {
        "title": "岗位",
        "company": "企业名称",
        "description": "岗位职责",
        "location": "城市",
        "date": "日期",
        "source": "来源",
    }
    start(director, imp, imp.mapping)
    imp.refresh_from_db()
    assert imp.status == "done" and imp.rows_stored == 2
    p = Posting.objects.get(title="跨境物流专员")
    assert p.company == "厦门远航国际物流有限公司" and p.source == "智联招聘" and p.posted.isoformat() == "2024-05-09"
    assert "OPS.LOGISTICS" in p.codes("competency")


def test_jsonl_and_user_chosen_mapping(director, reference):
    lines = [
        {
            "name": "Amazon Account Manager",
            "employer": "Blue Harbor Trading Ltd",
            "jd": "Manage Amazon listings and PPC advertising; fluent English; analyse sales data.",
            "where": "Shenzhen",
            "when": "2024-06-01",
        },
        {
            "name": "Customs Declaration Clerk",
            "employer": "Eastport Logistics",
            "jd": "Customs clearance and export tax rebate paperwork.",
            "where": "Ningbo",
            "when": "2024-06-11",
        },
    ]
    data = "\n".join(json.dumps(x) for x in lines).encode()
    upload(director, "feed.jsonl", data, reference)
    imp = PostingImport.objects.get()
    assert imp.file_format == "jsonl" and "title" not in imp.mapping
    start(
        director,
        imp,
        {"title": "name", "company": "employer", "description": "jd", "location": "where", "date": "when"},
    )
    imp.refresh_from_db()
    assert imp.status == "done" and imp.rows_stored == 2
    p = Posting.objects.get(title="Customs Declaration Clerk")
    assert "TRADE.CUSTOMS" in p.codes("competency")


def test_xlsx_is_read_through_core_excel(director, reference):
    from cbec_talent.core.excel import SheetSpec, write_workbook

    data = write_workbook([(SheetSpec("postings", HEADER), ROWS[:2])])
    upload(director, "postings.xlsx", data, reference)
    imp = PostingImport.objects.get()
    assert imp.file_format == "xlsx" and imp.mapping["title"] == "职位名称"
    start(director, imp, imp.mapping)
    imp.refresh_from_db()
    assert imp.status == "done" and imp.rows_stored == 2


def test_exact_and_near_duplicates_are_skipped_and_counted(director, reference):
    rows = [
        ROWS[0],
        [
            " 跨境电商运营专员 ",
            "深圳海帆贸易有限公司",
            "负责亚马逊店铺运营，英语四级以上，熟练使用Excel做数据分析。",
            "深圳",
            "",
            "",
        ],
        ["跨境电商运营专员", "深圳海帆贸易有限公司", "另一段描述：负责eBay店铺。", "深圳-宝安区", "", ""],
        ROWS[1],
    ]
    upload(director, "dups.csv", _csv(rows).encode("utf-8"), reference)
    imp = PostingImport.objects.get()
    start(director, imp, imp.mapping)
    imp.refresh_from_db()
    assert (imp.rows_stored, imp.exact_duplicates, imp.near_duplicates) == (2, 1, 1)
    # a second upload of the same postings adds nothing new
    upload(director, "again.csv", _csv(ROWS[:2]).encode("utf-8"), reference)
    again = PostingImport.objects.exclude(pk=imp.pk).get()
    start(director, again, again.mapping)
    again.refresh_from_db()
    assert again.status == "failed" and again.exact_duplicates == 2 and Posting.objects.count() == 2


def test_bad_rows_stop_the_whole_import_unless_good_rows_are_kept(director, reference):
    rows = [ROWS[0], ["", "无名公司", "没有职位名称", "深圳", "", ""], ["长" * 301, "某公司", "", "", "", ""], ROWS[1]]
    upload(director, "bad.csv", _csv(rows).encode("utf-8"), reference)
    imp = PostingImport.objects.get()
    start(director, imp, imp.mapping)
    imp.refresh_from_db()
    assert imp.status == "failed" and imp.rows_rejected == 2 and Posting.objects.count() == 0
    assert [(p["row"], p["field"]) for p in imp.problems] == [(3, "title"), (4, "title")]
    page = director.get(f"/demand/imports/{imp.pk}/")
    assert b'data-row="3"' in page.content and b'data-row="4"' in page.content
    upload(director, "bad.csv", _csv(rows).encode("utf-8"), reference)
    kept = PostingImport.objects.exclude(pk=imp.pk).get()
    start(director, kept, kept.mapping, keep=True)
    kept.refresh_from_db()
    assert kept.status == "done" and kept.rows_stored == 2 and kept.rows_rejected == 2
    assert len(kept.problems) == 2


def test_empty_file_oversized_file_and_missing_title_are_refused(director, reference, settings):
    response = upload(director, "empty.csv", b"", reference)
    assert response.status_code == 200 and PostingImport.objects.count() == 0
    response = upload(director, "blank.csv", b"\n\n", reference)
    assert response.status_code == 200 and response.context["problems"] and PostingImport.objects.count() == 0
    response = upload(director, "broken.xlsx", b"PK\x03\x04 this is not a workbook", reference)
    assert response.status_code == 200 and response.context["problems"] and PostingImport.objects.count() == 0
    settings.POSTINGS_MAX_BYTES = 100
    response = upload(director, "big.csv", _csv(ROWS).encode("utf-8"), reference)
    assert response.status_code == 200 and "100" in str(response.context["problems"][0].message)  # the limit
    assert PostingImport.objects.count() == 0
    settings.POSTINGS_MAX_BYTES = 10_000_000
    upload(director, "ok.csv", _csv(ROWS).encode("utf-8"), reference)
    imp = PostingImport.objects.get()
    response = start(director, imp, {**imp.mapping, "title": ""})
    assert response.status_code == 200
    assert [p.field for p in response.context["problems"]] == ["title"]
    imp.refresh_from_db()
    assert imp.status == "mapping" and Posting.objects.count() == 0


def test_broken_jsonl_lines_are_reported_by_line(director, reference):
    data = (json.dumps({"title": "外贸跟单员", "company": "甲公司"}) + "\n{not json\n").encode()
    upload(director, "x.jsonl", data, reference)
    imp = PostingImport.objects.get()
    start(director, imp, imp.mapping)
    imp.refresh_from_db()
    assert imp.status == "failed" and imp.problems[0]["row"] == 2 and Posting.objects.count() == 0


def test_detect_encoding_tolerates_a_character_cut_at_the_sample_end():
    from cbec_talent.labour_market.reading import SNIFF_BYTES, detect_encoding

    utf8 = ("职位" * SNIFF_BYTES).encode("utf-8")[:SNIFF_BYTES]  # 65536 % 3 != 0: ends inside a character
    assert detect_encoding(utf8) == "utf-8-sig"
    assert detect_encoding(("跨境电商运营专员，负责店铺运营。" * 9000).encode("gbk")[:SNIFF_BYTES]) == "gb18030"


def test_a_large_gbk_file_is_read_in_chunks(director, reference):
    titles = ["外贸业务员", "跨境电商运营", "亚马逊运营助理", "速卖通客服", "海外仓物流专员", "跨境电商美工"]
    cities = ["深圳", "广州", "杭州", "宁波", "义乌", "厦门"]
    lines = [",".join(["职位名称", "公司", "职位描述", "工作地点", "发布日期"])]
    for i in range(1300):
        t, c = titles[i % len(titles)], cities[i % len(cities)]
        desc = f"负责{t}相关工作，英语四级以上，熟悉外贸流程，第{i}号岗位，会用Excel做数据分析。"
        lines.append(f"{t},第{i}号贸易有限公司,{desc},{c},2024-{1 + i % 12:02d}-15")
    data = ("\n".join(lines) + "\n").encode("gbk")
    assert len(data) > 2 * 64 * 1024
    upload(director, "big.csv", data, reference)
    imp = PostingImport.objects.get()
    assert imp.encoding == "gb18030"
    start(director, imp, imp.mapping)
    imp.refresh_from_db()
    assert imp.status == "done" and imp.rows_stored == 1300 and imp.progress == 1.0
    assert sum("LANG.EN" in p.codes("competency") for p in Posting.objects.all()) == 1300
    assert Posting.objects.filter(company="第1299号贸易有限公司", location="宁波", row=1301).exists()
