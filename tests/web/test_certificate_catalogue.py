"""The certificate catalogue: the shipped data (sources cited, levels, modules, framework competencies), the
Excel round trip, all-or-nothing imports with row/field messages, editing in the app, and the demo."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cbec_talent.certification import catalogue
from cbec_talent.certification.models import CatalogueCertificate, CatalogueModule
from cbec_talent.competencies.models import Competency
from cbec_talent.core.errors import CbecError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def loaded(db, reference):
    catalogue.catalogue_load()
    return {c.code: c for c in CatalogueCertificate.objects.prefetch_related("modules")}


def test_the_shipped_catalogue_holds_the_certificates_the_issue_names(loaded):
    names = " ".join(c.name_zh for c in loaded.values())
    for needle in (
        "跨境电商B2B数据运营",
        "跨境电商B2C数据运营",
        "跨境电商运营与推广",
        "T/KJDZSW 0001-2023",
        "跨境电子商务师",
    ):
        assert needle in names, needle
    assert loaded["1X.B2B-DATA"].levels == ["初级", "中级", "高级"]
    assert "阿里巴巴" in loaded["1X.B2B-DATA"].organisation_zh
    assert loaded["CSIT.OPS-PROMO"].organisation_zh == "中国国际贸易学会"
    codes = set(Competency.objects.filter(framework__is_reference=True).values_list("code", flat=True))
    for cert in loaded.values():
        assert cert.sources and all(s["url"] and s["supports"] for s in cert.sources), cert.code
        assert cert.modules.exists(), cert.code
        for module in cert.modules.all():
            assert module.competencies and set(module.competencies) <= codes, module
            assert set(module.levels) <= set(cert.levels), module
        # a certificate whose modules are the college's own breakdown says so
        if not all(m.from_standard for m in cert.modules.all()):
            assert "college" in cert.detail_note, cert.code


def test_loading_twice_changes_nothing(loaded):
    before = (CatalogueCertificate.objects.count(), CatalogueModule.objects.count())
    catalogue.catalogue_load()
    assert (CatalogueCertificate.objects.count(), CatalogueModule.objects.count()) == before


def test_excel_round_trip_keeps_everything(loaded):
    data = catalogue.catalogue_xlsx()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Certificates", "Modules"]
    snapshot = [
        (
            c.code,
            c.name_zh,
            c.name_en,
            c.kind,
            c.organisation_zh,
            c.levels,
            c.detail_note,
            len(c.sources),
            [(m.code, m.name_zh, m.levels, m.competencies, m.from_standard) for m in c.modules.all()],
        )
        for c in CatalogueCertificate.objects.prefetch_related("modules")
    ]
    CatalogueCertificate.objects.all().delete()
    assert catalogue.catalogue_import_xlsx(data=data) == 7
    again = [
        (
            c.code,
            c.name_zh,
            c.name_en,
            c.kind,
            c.organisation_zh,
            c.levels,
            c.detail_note,
            len(c.sources),
            [(m.code, m.name_zh, m.levels, m.competencies, m.from_standard) for m in c.modules.all()],
        )
        for c in CatalogueCertificate.objects.prefetch_related("modules")
    ]
    assert again == snapshot


def _workbook(loaded, edit):
    wb = openpyxl.load_workbook(io.BytesIO(catalogue.catalogue_xlsx()))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_bad_row_stores_nothing_and_names_sheet_row_and_field(loaded):
    def edit(wb):
        wb["Certificates"]["B2"] = "改过的名字"  # a valid change that must not be stored
        wb["Modules"]["F3"] = "OPS.PLATFORM, NOT.A.CODE"
        wb["Modules"]["E4"] = "特级"

    data = _workbook(loaded, edit)
    with pytest.raises(CbecError) as exc:
        catalogue.catalogue_import_xlsx(data=data)
    problems = {(p.sheet, p.row, p.field) for p in exc.value.problems}
    assert ("Modules", 3, "Competencies") in problems
    assert ("Modules", 4, "Levels") in problems
    assert "NOT.A.CODE" in " ".join(str(p) for p in exc.value.problems)
    assert not CatalogueCertificate.objects.filter(name_zh="改过的名字").exists()


def test_a_module_of_an_unknown_certificate_is_refused(loaded):
    data = _workbook(loaded, lambda wb: wb["Modules"].__setitem__("A2", "NO-SUCH"))
    with pytest.raises(CbecError) as exc:
        catalogue.catalogue_import_xlsx(data=data)
    assert any(p.row == 2 and p.field == "Certificate code" for p in exc.value.problems)


def test_export_escapes_formulas(loaded):
    cert = loaded["1X.B2B-DATA"]
    cert.name_en = '=HYPERLINK("http://x")'
    cert.save()
    wb = openpyxl.load_workbook(io.BytesIO(catalogue.catalogue_xlsx()))
    value = next(r[2] for r in wb["Certificates"].iter_rows(min_row=2, values_only=True) if r[0] == "1X.B2B-DATA")
    assert not str(value).startswith("=")
    # and the escaped value comes back as written
    CatalogueCertificate.objects.all().delete()
    wb_bytes = io.BytesIO()
    wb.save(wb_bytes)
    catalogue.catalogue_import_xlsx(data=wb_bytes.getvalue())
    assert CatalogueCertificate.objects.get(code="1X.B2B-DATA").name_en == '=HYPERLINK("http://x")'


def test_director_edits_a_certificate_and_its_modules(loaded, director, client):
    page = "/certificates/catalogue/1X.B2C-DATA/"
    assert "跨境电商B2C数据运营" in client.get(page).content.decode()
    response = client.post(
        f"{page}edit/",
        {
            "name_zh": "跨境电商B2C数据运营职业技能等级证书",
            "name_en": "B2C data",
            "kind": "1+x",
            "organisation_zh": "某培训评价组织",
            "organisation_en": "An organisation",
            "standard": "std",
            "levels": "初级 / 中级 / 高级",
            "detail_note": "entered by the college",
        },
    )
    assert response.status_code == 302
    assert CatalogueCertificate.objects.get(code="1X.B2C-DATA").organisation_zh == "某培训评价组织"
    bad = client.post(
        f"{page}modules/new/", {"code": "B2C.M9", "name_zh": "新模块", "levels": "初级", "competencies": "NOPE"}
    )
    assert bad.status_code == 200 and "NOPE" in bad.content.decode()
    assert not CatalogueModule.objects.filter(code="B2C.M9").exists()
    ok = client.post(
        f"{page}modules/new/",
        {"code": "B2C.M9", "name_zh": "新模块", "levels": "初级", "competencies": "DATA.ANALYSIS, OPS.PLATFORM"},
    )
    assert ok.status_code == 302
    assert CatalogueModule.objects.get(code="B2C.M9").competencies == ["DATA.ANALYSIS", "OPS.PLATFORM"]


def test_import_page_reports_problems(loaded, director, client):
    data = _workbook(loaded, lambda wb: wb["Modules"].__setitem__("F2", "BAD.CODE"))
    upload = SimpleUploadedFile("c.xlsx", data, content_type=XLSX)
    response = client.post("/certificates/catalogue/import/", {"file": upload})
    assert response.status_code == 200
    assert 'data-row="2"' in response.content.decode() and "BAD.CODE" in response.content.decode()
    response = client.get("/certificates/catalogue/export.xlsx")
    assert response["Content-Type"] == XLSX


def test_the_demo_holds_the_catalogue(db, reference):
    from cbec_talent.certification import demo as certification_demo
    from cbec_talent.cohorts import demo as cohorts_demo
    from cbec_talent.demo import create_demo_users

    create_demo_users()
    cohorts_demo.create_demo_data()
    certification_demo.create_demo_data()
    assert CatalogueCertificate.objects.count() == 7
