"""Bad input to every import gets a message naming the row and field, and the database is unchanged."""

from __future__ import annotations

import copy
import io
import zipfile

import pytest
from openpyxl import load_workbook

from cbec_talent.competencies import taxonomies
from cbec_talent.competencies.document import parse_text_document
from cbec_talent.competencies.exporting import document_to_xlsx, framework_to_document, xlsx_to_document
from cbec_talent.competencies.models import Competency, Framework, Occupation, Position
from cbec_talent.competencies.services import framework_import
from cbec_talent.core.errors import CbecError


def _counts():
    return (Framework.objects.count(), Competency.objects.count(), Position.objects.count(), Occupation.objects.count())


@pytest.fixture
def doc(reference):
    d = framework_to_document(reference)
    d["framework"]["version"] = "user-1"
    return d


def _refused(fn, *args, **kwargs):
    before = _counts()
    with pytest.raises(CbecError) as info:
        fn(*args, **kwargs)
    assert _counts() == before, "a refused import must write nothing"
    return info.value.problems


def test_unknown_competency_code_in_a_requirement(doc):
    doc["positions"][2]["requirements"][1]["competencies"][0]["code"] = "OPS.NOPE"
    problems = _refused(framework_import, document=doc)
    assert any(
        p.sheet == "requirements" and p.field == "competencies" and "OPS.NOPE" in str(p.message) for p in problems
    )


def test_duplicate_codes_and_empty_names_are_each_reported(doc):
    comps = doc["areas"][0]["competencies"]
    comps[1]["code"] = comps[0]["code"]
    doc["positions"][0]["name"]["zh"] = ""
    problems = _refused(framework_import, document=doc)
    assert any(p.sheet == "competencies" and p.row == 2 and p.field == "code" for p in problems)
    assert any(p.sheet == "positions" and p.row == 1 and p.field == "name_zh" for p in problems)


def test_same_code_and_version_twice_is_refused(reference):
    problems = _refused(framework_import, document=framework_to_document(reference))
    assert problems[0].field == "version"


def test_excel_with_a_wrong_column_names_sheet_row_and_field(doc):
    wb = load_workbook(io.BytesIO(document_to_xlsx(doc)))
    wb["competencies"]["B1"] = "kode"
    buf = io.BytesIO()
    wb.save(buf)
    problems = _refused(xlsx_to_document, buf.getvalue())
    assert any(p.sheet == "competencies" and p.field == "code" and p.row == 1 for p in problems)


def test_excel_with_an_unknown_level_names_the_excel_row(doc):
    wb = load_workbook(io.BytesIO(document_to_xlsx(doc)))
    ws = wb["requirements"]
    ws["D5"] = "TECH.DESIGN:expert"
    buf = io.BytesIO()
    wb.save(buf)
    problems = _refused(lambda data: framework_import(document=xlsx_to_document(data)), buf.getvalue())
    assert any(p.sheet == "requirements" and p.row == 5 and "expert" in str(p.message) for p in problems)


def test_formula_injection_is_escaped_on_export_and_restored_on_import(doc):
    doc["areas"][0]["competencies"][0]["keywords"]["en"].append('=HYPERLINK("http://x")')
    doc["positions"][0]["name"]["en"] = "@SUM(1)"
    data = document_to_xlsx(doc)
    ws = load_workbook(io.BytesIO(data))["positions"]
    assert ws["C2"].value == "'@SUM(1)" and ws["C2"].data_type == "s"
    again = xlsx_to_document(data)
    assert again["positions"][0]["name"]["en"] == "@SUM(1)"


@pytest.mark.parametrize(
    "payload, expected",
    [
        (b"", "empty"),
        (b"not a zip at all", "not"),
        (b"PK\x03\x04broken", "not"),
    ],
)
def test_broken_excel_files_are_refused_clearly(db, payload, expected):
    problems = _refused(xlsx_to_document, payload)
    assert problems and problems[0].row is None


def test_zip_bomb_is_refused(db):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<x/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    problems = _refused(xlsx_to_document, buf.getvalue())
    assert "bomb" in str(problems[0].message).lower() or "炸弹" in str(problems[0].message)


def test_yaml_syntax_error_names_the_line(db):
    with pytest.raises(CbecError) as info:
        parse_text_document("framework:\n  code: X\n  name: [unclosed\n", "f.yaml")
    assert info.value.problems[0].row is not None


def test_csco_import_with_bad_rows_changes_nothing(db):
    data = (
        "level,code,code_num,name,definition,tasks,csco_code_num,alias\n"
        "4,4-01-06-01,1,电子商务师,,,,\n4,bad-code,2,X,,,,\n9,4-01-06-02,3,Y,,,,\n"
    )
    problems = _refused(taxonomies.import_csco, data.encode())
    assert [(p.row, p.field) for p in problems] == [(3, "code"), (4, "level")]


def test_csco_import_with_missing_column(db):
    problems = _refused(taxonomies.import_csco, b"level,kode,name,definition\n1,1-00-00-00,x,\n")
    assert problems[0].field == "code" and problems[0].row == 1


def test_hostile_strings_are_stored_as_text_and_escaped_in_pages(doc, client, make_user):
    doc["areas"][0]["competencies"][0]["name"]["zh"] = "<script>alert(1)</script>"
    fw = framework_import(document=doc)
    client.force_login(make_user("d1", "director"))
    html = client.get(f"/frameworks/{fw.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_upload_page_reports_problems_and_writes_nothing(doc, client, make_user):
    doc["levels"][0]["rank"] = "high"
    client.force_login(make_user("d2", "director"))
    from cbec_talent.competencies.exporting import document_to_yaml

    before = _counts()
    upload = io.BytesIO(document_to_yaml(doc).encode())
    upload.name = "mine.yaml"
    response = client.post("/frameworks/import/", {"file": upload})
    assert response.status_code == 200
    assert _counts() == before
    problems = response.context["problems"]
    assert any(p.sheet == "levels" and p.row == 1 and p.field == "rank" for p in problems)


def test_upload_page_imports_a_good_excel(doc, client, make_user):
    client.force_login(make_user("d3", "director"))
    upload = io.BytesIO(document_to_xlsx(doc))
    upload.name = "mine.xlsx"
    response = client.post("/frameworks/import/", {"file": upload, "version": "2027.1"})
    assert response.status_code == 302
    fw = Framework.objects.get(code=doc["framework"]["code"], version="2027.1")
    assert fw.competencies.count() == 28 and not fw.is_reference


def test_keyword_lists_round_trip_through_text(doc):
    again = parse_text_document(__import__("json").dumps(copy.deepcopy(doc)), "x.json")
    assert again == doc


def test_esco_skills_import_reads_the_real_file_and_refuses_bad_rows(db):
    from cbec_talent.competencies.models import TaxonomySkill
    from tests.conftest import shared_file

    lines = shared_file("esco-skills-flat", "skills.csv").read_text(encoding="utf-8").splitlines()
    assert taxonomies.import_esco_skills("\n".join(lines[:201]).encode()) == 200
    bad = "\n".join([*lines[:5], "http://example.com/skill/1,hello"]).encode()
    problems = _refused(taxonomies.import_esco_skills, bad)
    assert (problems[0].row, problems[0].field) == (6, "id")
    assert TaxonomySkill.objects.count() == 200


def test_framework_pdf_has_extractable_chinese_and_english(client, role_users, reference, tmp_path):
    import shutil
    import subprocess

    from cbec_talent.core.pdf import cjk_font_available

    if not cjk_font_available() or not shutil.which("pdftotext"):
        pytest.skip("PDF check needs fonts-noto-cjk and poppler-utils (pdftotext)")
    client.force_login(role_users["teacher"])
    response = client.get(f"/frameworks/{reference.pk}/export.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    assert "商务英语" in text and "POS.13" in text and "网页编辑" in text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(f"/frameworks/{reference.pk}/export.pdf")
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    assert "Business English" in text and "Web editor" in text


def test_pdf_fetcher_refuses_local_files_and_remote_urls():
    from cbec_talent.core.pdf import safe_url_fetcher

    for url in ("file:///etc/passwd", "http://127.0.0.1:1/x", "https://example.com/a.png"):
        with pytest.raises(ValueError):
            safe_url_fetcher(url)
