"""Programme Excel (export = import template) and PDF: round trip, refused sheets, formula injection, PDF text."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from cbec_talent.accounts.models import AuditLog
from cbec_talent.core.errors import CbecError
from cbec_talent.programmes.exporting import programme_pdf, programme_to_xlsx, xlsx_to_programme_document
from cbec_talent.programmes.models import Course, Programme
from cbec_talent.programmes.services import programme_dict, programme_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def sample(db):
    return Programme.objects.get(code="P000-CBEC")


def _edit(data: bytes, sheet: str, changes: dict[tuple[int, str], object]) -> bytes:
    """Change cells addressed by (Excel row, header key); a None header deletes that column."""
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    headers = {cell.value: cell.column for cell in ws[1]}
    for (row, key), value in changes.items():
        if value is _DELETE_COLUMN:
            ws.delete_cols(headers[key])
        else:
            ws.cell(row=row, column=headers[key], value=value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


_DELETE_COLUMN = object()


def _row_of(data: bytes, sheet: str, code: str) -> int:
    ws = load_workbook(io.BytesIO(data))[sheet]
    return next(row[0].row for row in ws.iter_rows(min_row=2) if row[0].value == code)


def _without_version(doc: dict) -> dict:
    doc = {**doc, "programme": {k: v for k, v in doc["programme"].items() if k != "version"}}
    return doc


def test_round_trip_of_the_sample_gives_the_same_programme(sample, reference):
    data = programme_to_xlsx(sample)
    book = load_workbook(io.BytesIO(data))
    assert {"programme", "modules", "courses", "targets", "positions", "stated", "allocation", "README"} <= set(
        book.sheetnames
    )
    assert book["allocation"].protection.sheet, "the computed table is read-only"
    doc = xlsx_to_programme_document(data, framework=reference)
    copy = programme_import(document=doc, framework=reference, version="2")
    assert copy.version == "2"
    assert _without_version(programme_dict(copy)) == _without_version(programme_dict(sample))


def test_the_allocation_sheet_shows_the_computed_table_and_the_stated_ratio_that_differs(sample):
    ws = load_workbook(io.BytesIO(programme_to_xlsx(sample)))["allocation"]
    rows = {
        r[0]: dict(zip([c.value for c in ws[1]], r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    assert rows["TOTAL"]["total_hours"] == sum(c.total_hours for c in sample.courses.all())
    assert rows["GC"]["credits"] == float(sum(c.credits for c in sample.courses.filter(module__code="GC")))
    assert "62:38" in rows["TOTAL"]["stated_differs"]


def test_director_imports_through_the_page_and_the_import_is_audited(client, role_users, sample, reference):
    client.force_login(role_users["director"])
    page = client.get("/programmes/import/")
    assert page.status_code == 200 and page.context["form"]["framework"].value() == reference.pk
    upload = SimpleUploadedFile("p.xlsx", programme_to_xlsx(sample), content_type=XLSX)
    response = client.post("/programmes/import/", {"file": upload, "framework": reference.pk, "version": "web-2"})
    assert response.status_code == 302
    new = Programme.objects.get(code="P000-CBEC", version="web-2")
    assert new.courses.count() == sample.courses.count() and new.framework == reference
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT, object_id=str(new.pk)).exists()


def _post(client, data: bytes, reference, version="bad"):
    upload = SimpleUploadedFile("p.xlsx", data, content_type=XLSX)
    return client.post("/programmes/import/", {"file": upload, "framework": reference.pk, "version": version})


def test_a_malformed_sheet_is_refused_with_sheet_row_and_field_and_nothing_is_stored(
    client, role_users, sample, reference
):
    data = programme_to_xlsx(sample)
    sp01, gc07 = _row_of(data, "courses", "SP01"), _row_of(data, "courses", "GC07")
    bad = _edit(
        data,
        "courses",
        {
            (sp01, "credits"): "three",
            (gc07, "module"): "XX",
            (gc07, "semesters"): "1,second",
            (sp01, "required"): "maybe",
            (gc07, "theory_hours"): 12.5,
        },
    )
    client.force_login(role_users["director"])
    before = (Programme.objects.count(), Course.objects.count())
    response = _post(client, bad, reference)
    assert response.status_code == 200
    found = {(p.sheet, p.row, p.field) for p in response.context["problems"]}
    assert {
        ("courses", sp01, "credits"),
        ("courses", gc07, "module"),
        ("courses", gc07, "semesters"),
        ("courses", sp01, "required"),
        ("courses", gc07, "theory_hours"),
    } <= found
    html = response.content.decode()
    assert 'id="import-problem-table"' in html and "three" in html
    assert (Programme.objects.count(), Course.objects.count()) == before


def test_missing_column_missing_sheet_and_broken_file_are_refused(client, role_users, sample, reference):
    data = programme_to_xlsx(sample)
    no_credits = _edit(data, "courses", {(1, "credits"): _DELETE_COLUMN})
    with pytest.raises(CbecError) as info:
        xlsx_to_programme_document(no_credits)
    assert ("courses", 1, "credits") in {(p.sheet, p.row, p.field) for p in info.value.problems}

    book = load_workbook(io.BytesIO(data))
    del book["modules"]
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(CbecError) as info:
        xlsx_to_programme_document(buf.getvalue())
    assert [p.sheet for p in info.value.problems] == ["modules"]

    client.force_login(role_users["administrator"])
    before = Programme.objects.count()
    response = _post(client, b"PK\x03\x04 this is not a workbook", reference)
    assert response.status_code == 200 and response.context["problems"]
    assert Programme.objects.count() == before


def test_engine_checks_run_after_the_sheet_checks(sample, reference):
    data = programme_to_xlsx(sample)
    row = _row_of(data, "courses", "SP01")
    bad = _edit(data, "courses", {(row, "supports"): "OPS.NOPE:H"})
    doc = xlsx_to_programme_document(bad, framework=reference)
    with pytest.raises(CbecError) as info:
        programme_import(document=doc, framework=reference, version="x")
    assert any("OPS.NOPE" in str(p.message) and p.field == "supports" for p in info.value.problems)
    assert not Programme.objects.filter(code="P000-CBEC", version="x").exists()


def test_formula_injection_is_escaped_and_comes_back_unchanged(sample, reference):
    course = Course.objects.get(programme=sample, code="GC01")
    course.name_en = "=1+1"
    course.name_zh = "@SUM(A1)"
    course.save()
    data = programme_to_xlsx(sample)
    ws = load_workbook(io.BytesIO(data))["courses"]
    row = _row_of(data, "courses", "GC01")
    headers = {c.value: c.column for c in ws[1]}
    cell = ws.cell(row=row, column=headers["name_en"])
    assert cell.data_type == "s" and cell.value == "'=1+1", "a spreadsheet must see text, not a formula"
    doc = xlsx_to_programme_document(data, framework=reference)
    gc01 = next(c for c in doc["courses"] if c["code"] == "GC01")
    assert gc01["name"] == {"zh": "@SUM(A1)", "en": "=1+1"}
    copy = programme_import(document=doc, framework=reference, version="inj")
    assert Course.objects.get(programme=copy, code="GC01").name_en == "=1+1"


def test_export_urls_serve_files_to_readers_and_not_to_students(client, role_users, sample):
    client.force_login(role_users["teacher"])
    response = client.get(f"/programmes/{sample.pk}/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "P000-CBEC-1.xlsx" in response["Content-Disposition"]
    assert client.get(f"/programmes/{sample.pk}/export.csv").status_code == 404
    client.force_login(role_users["student"])
    assert client.get(f"/programmes/{sample.pk}/export.pdf").status_code == 403


def _pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "p.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=60).stdout


def test_pdf_in_chinese_and_english_has_the_tables_and_the_stated_ratio(client, role_users, sample, tmp_path):
    from cbec_talent.core.pdf import cjk_font_available

    if not cjk_font_available() or not shutil.which("pdftotext"):
        pytest.skip("PDF check needs fonts-noto-cjk and poppler-utils (pdftotext)")
    with translation.override("zh-hans"):
        text = _pdf_text(tmp_path, programme_pdf(sample))
    total_hours = str(sum(c.total_hours for c in sample.courses.all()))
    assert "通识必修" in text and "2768" in text and total_hours in text and "62:38" in text
    client.force_login(role_users["teacher"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(f"/programmes/{sample.pk}/export.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(tmp_path, response.content)
    assert "Total" in text and "General compulsory" in text and "62:38" in text and "通识必修" not in text
