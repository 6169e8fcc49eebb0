"""`cbec-talent demand tag FILE`: titles, CSV/TSV/JSONL, UTF-8 and GBK, JSON Lines out."""

import json

from cbec_talent.engines.demand.cli import main


def run(tmp_path, name, data: bytes, *args):
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "out.jsonl"
    status = main([str(src), "-o", str(out), *args])
    return status, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []


def test_bare_titles_one_per_line(tmp_path):
    status, rows = run(tmp_path, "titles.txt", "外贸业务员\n\nAmazon Operations Specialist\n报关员\n".encode())
    assert status == 0
    assert [r["position"] for r in rows] == ["POS.06", "POS.11", "POS.18"]
    assert rows[1]["platforms"] == [{"code": "amazon", "evidence": ["amazon"]}]
    assert all(r["csco"] for r in rows)


def test_gbk_tsv_with_title_location_and_date(tmp_path):
    text = (
        "company\ttitle\tlocation\tposted\n"
        "某公司\t亚马逊运营（日语）\t深圳-宝安区\t08-27\n"
        "某公司\t外贸跟单员\t广州\t08-28\n"
    )
    status, rows = run(tmp_path, "jobs.tsv", text.encode("gbk"), "--year", "2019")
    assert status == 0
    assert rows[0]["position"] == "POS.11"
    assert rows[0]["languages"] == [{"code": "ja", "evidence": ["日语"]}]
    assert rows[0]["city"] == "深圳" and rows[0]["month"] == "2019-08"
    assert rows[1]["position"] == "POS.07" and rows[1]["city"] == "广州"


def test_csv_with_description_and_salary(tmp_path):
    text = 'id,职位名称,职位描述\n7,外贸业务员,"英语四级, 薪资6000-8000元/月, 1-3年经验, 大专"\n'
    status, rows = run(tmp_path, "jobs.csv", text.encode("utf-8-sig"))
    assert status == 0
    (row,) = rows
    assert row["id"] == "7"
    assert row["salary"]["low"] == 6000 and row["salary"]["monthly_high"] == 8000
    assert row["experience"]["min_years"] == 1 and row["education"] == "college"
    assert {"code": "LANG.EN", "evidence": ["英语", "英语四级", "四级"]} in row["competencies"]


def test_jsonl_input(tmp_path):
    data = "\n".join(
        json.dumps(x, ensure_ascii=False)
        for x in [
            {"title": "Data Analyst", "description": "SQL, Python, Tableau"},
            {"title": "速卖通运营", "description": "俄语优先"},
        ]
    )
    status, rows = run(tmp_path, "jobs.jsonl", data.encode())
    assert status == 0
    assert [r["position"] for r in rows] == ["POS.08", "POS.11"]
    assert {c["code"] for c in rows[0]["competencies"]} >= {"DATA.ANALYSIS", "DATA.MINING"}


def test_csv_without_title_column_is_an_error(tmp_path, capsys):
    status, rows = run(tmp_path, "bad.csv", b"name,city\nx,y\n")
    assert status == 2 and rows == []
    assert "no title column" in capsys.readouterr().err


def test_missing_file_is_an_error(tmp_path, capsys):
    assert main([str(tmp_path / "nope.txt")]) == 2
    assert "error" in capsys.readouterr().err
