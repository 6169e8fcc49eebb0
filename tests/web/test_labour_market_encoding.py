"""Encodings of uploaded posting files: GBK vs UTF-8 on tiny files, BOMs, GB 18030-only characters, non-ASCII
text that starts after the sniffed sample, and undecodable lines (named, nothing stored)."""

from __future__ import annotations

import codecs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cbec_talent.core.errors import CbecError
from cbec_talent.labour_market.models import Posting, PostingImport
from cbec_talent.labour_market.reading import BLOCK_BYTES, SNIFF_BYTES, RowReader, detect_encoding

# A character outside GBK (CJK Extension B): four bytes in GB 18030.
GB18030_ONLY = "\U00020000"


pytestmark = pytest.mark.usefixtures("media_root")  # uploads go to a temporary folder


def upload(client, name: str, data: bytes, reference) -> PostingImport:
    response = client.post("/demand/imports/", {"file": SimpleUploadedFile(name, data), "framework": reference.pk})
    assert response.status_code == 302, [str(p) for p in (response.context or {}).get("problems", [])]
    return PostingImport.objects.latest("pk")


def run(client, imp: PostingImport) -> PostingImport:
    client.post(f"/demand/imports/{imp.pk}/", {f"map_{k}": v for k, v in imp.mapping.items()})
    imp.refresh_from_db()
    return imp


def read_rows(tmp_path, data: bytes, name="f.csv", file_format="csv") -> list[tuple[int, dict[str, str]]]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(RowReader(path, file_format, detect_encoding(data[:SNIFF_BYTES])).rows())


# --- detection on the sample ------------------------------------------------------------------------------


def test_a_two_character_gbk_title_is_gbk_although_its_bytes_are_valid_utf8():
    data = "职位".encode("gbk")
    assert data.decode("utf-8") == "\u05b0\u03bb"  # the trap: GBK bytes that read as Hebrew and Greek
    assert detect_encoding(data) == "gb18030"
    assert detect_encoding("职位\n外贸\n".encode("gbk")) == "gb18030"


def test_tiny_utf8_and_plain_ascii_are_utf8():
    assert detect_encoding("职位\n外贸\n".encode()) == "utf-8-sig"
    assert detect_encoding(b"title\nsales\n") == "utf-8-sig"
    # UTF-8 without Chinese but with accented Latin or Cyrillic text stays UTF-8
    assert detect_encoding("title\nrésumé screening\n".encode()) == "utf-8-sig"
    assert detect_encoding("title\nменеджер по продажам\n".encode()) == "utf-8-sig"


def test_byte_order_marks():
    assert detect_encoding(codecs.BOM_UTF8 + "职位\n".encode()) == "utf-8-sig"
    assert detect_encoding("\ufeff职位\n".encode("utf-16-le")) == "utf-16"
    assert detect_encoding("\ufeff职位\n".encode("utf-16-be")) == "utf-16"


def test_gb18030_only_characters_are_gb18030():
    data = f"职位\n跨境电商{GB18030_ONLY}运营\n".encode("gb18030")
    assert detect_encoding(data) == "gb18030"


# --- reading ------------------------------------------------------------------------------------------------


def test_tiny_gbk_csv_reads_its_title(tmp_path):
    assert read_rows(tmp_path, "职位\n外贸\n".encode("gbk")) == [(2, {"职位": "外贸"})]


def test_old_mac_line_ends_are_rows(tmp_path):
    assert read_rows(tmp_path, "职位\r外贸\r客服\r".encode("gbk")) == [(2, {"职位": "外贸"}), (3, {"职位": "客服"})]


def test_utf8_with_bom_and_utf16_read_the_same(tmp_path):
    text = "职位,公司\n跨境电商运营,海帆\n"
    want = [(2, {"职位": "跨境电商运营", "公司": "海帆"})]
    assert read_rows(tmp_path, codecs.BOM_UTF8 + text.encode()) == want
    assert read_rows(tmp_path, text.encode("utf-16")) == want  # with its BOM


def test_gbk_after_a_megabyte_of_ascii_is_read_as_gbk(tmp_path):
    ascii_rows = [f"Sales assistant {i},Company {i}\n" for i in range(40_000)]
    head = "title,company\n" + "".join(ascii_rows)
    late = "跨境电商运营专员,深圳海帆贸易有限公司\n外贸业务员,宁波东港进出口有限公司\n"
    data = head.encode("ascii") + late.encode("gbk")
    assert len(head) > BLOCK_BYTES > SNIFF_BYTES
    assert detect_encoding(data[:SNIFF_BYTES]) == "utf-8-sig"  # the sample is plain ASCII: undecided
    rows = read_rows(tmp_path, data)
    assert len(rows) == 40_002
    assert rows[-2:] == [
        (40_002, {"title": "跨境电商运营专员", "company": "深圳海帆贸易有限公司"}),
        (40_003, {"title": "外贸业务员", "company": "宁波东港进出口有限公司"}),
    ]


def test_utf8_after_the_sample_is_read_as_utf8(tmp_path):
    head = "title,company\n" + "".join(f"Sales assistant {i},Company {i}\n" for i in range(5000))
    data = head.encode("ascii") + "职位专员,海帆\n".encode()
    assert len(head) > SNIFF_BYTES
    assert read_rows(tmp_path, data)[-1] == (5002, {"title": "职位专员", "company": "海帆"})


def test_an_undecodable_line_is_named_before_any_row_is_read(tmp_path):
    lines = ["职位,公司\n", "跨境电商运营,海帆\n", "外贸业务员,东港\n"]
    data = "".join(lines).encode() + b"bad \xff\xfe row,x\n" + "客服,樱桥\n".encode()
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    reader = RowReader(path, "csv", detect_encoding(data))
    rows = reader.rows()
    with pytest.raises(CbecError) as err:
        next(rows)  # the whole file is checked before the first row is handed out
    problem = err.value.problems[0]
    assert problem.row == 4
    # in the language active at the time (Chinese by default)
    assert ("Line 4" in problem.message or "第 4 行" in problem.message) and "UTF-8" in problem.message


def test_a_bad_line_late_in_a_gbk_file_is_named(tmp_path):
    head = "title,company\n" + "".join(f"Sales assistant {i},Company {i}\n" for i in range(5000))
    data = head.encode() + "外贸业务员,东港\n".encode("gbk") + b"\x80\x80,x\n"  # 0x80 starts no GB 18030 char
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    with pytest.raises(CbecError) as err:
        list(RowReader(path, "csv", detect_encoding(data[:SNIFF_BYTES])).rows())
    assert err.value.problems[0].row == 5003
    assert "GBK" in err.value.problems[0].message


def test_jsonl_in_gbk_reads(tmp_path):
    data = '{"title": "亚马逊运营", "company": "海帆"}\n'.encode("gbk")
    assert read_rows(tmp_path, data, "p.jsonl", "jsonl") == [(1, {"title": "亚马逊运营", "company": "海帆"})]


# --- through the pages ----------------------------------------------------------------------------------------


def test_tiny_gbk_upload_is_imported_with_its_chinese_title(director, reference):
    imp = upload(director, "tiny.csv", "职位\n外贸\n".encode("gbk"), reference)
    assert imp.encoding == "gb18030" and imp.headers == ["职位"]
    imp = run(director, imp)
    assert imp.status == "done", imp.problems
    assert list(Posting.objects.values_list("title", flat=True)) == ["外贸"]


def test_gb18030_only_title_is_stored_intact(director, reference):
    title = f"跨境电商{GB18030_ONLY}运营专员"
    imp = upload(director, "ext.csv", f"职位名称,公司\n{title},海帆\n".encode("gb18030"), reference)
    assert imp.encoding == "gb18030"
    imp = run(director, imp)
    assert imp.status == "done", imp.problems
    assert Posting.objects.get().title == title


def test_utf16_upload_is_imported(director, reference):
    imp = upload(director, "u16.csv", "职位名称,公司\n亚马逊运营,海帆\n".encode("utf-16"), reference)
    assert imp.encoding == "utf-16"
    imp = run(director, imp)
    assert imp.status == "done", imp.problems
    assert Posting.objects.get().title == "亚马逊运营"


def test_undecodable_line_fails_the_import_naming_it_and_stores_nothing(director, reference):
    good = "".join(f"跨境电商运营{i},海帆{i}\n" for i in range(30)).encode()
    data = "职位名称,公司\n".encode() + good + b"\xc3\x28 broken,x\n" + "客服,樱桥\n".encode()
    imp = upload(director, "bad.csv", data, reference)
    assert imp.encoding == "utf-8-sig"
    imp = run(director, imp)
    assert imp.status == "failed"
    message = imp.problems[0]["message"]
    assert imp.problems[0]["row"] == 32 and ("Line 32" in message or "第 32 行" in message)
    assert Posting.objects.count() == 0
