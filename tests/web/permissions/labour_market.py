"""Labour-market pages: directors and administrators import postings; staff read figures and gap reports."""

STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
IMPORTERS = {"administrator": 200, "director": 200, "teacher": 403, "enterprise_tutor": 403, "student": 403}

EXPECTATIONS = {
    "labour_market:dashboard": ("/demand/", "get", STAFF, 302),
    "labour_market:dashboard_export": ("/demand/export.xlsx", "get", STAFF, 302),
    "labour_market:gap": ("/demand/gap/?programme={prog}", "get", STAFF, 302),
    "labour_market:gap_export": ("/demand/gap/export.xlsx?programme={prog}", "get", STAFF, 302),
    "labour_market:gap_weights": ("/demand/gap/weights.json?programme={prog}", "get", STAFF, 302),
    "labour_market:gap_optimise": (
        "/demand/gap/optimise/?programme={prog}",
        "post",
        {**IMPORTERS, "administrator": 302, "director": 302},
        302,
    ),
    "labour_market:imports": ("/demand/imports/", "get", IMPORTERS, 302),
    "labour_market:import_detail": ("/demand/imports/{posting_import}/", "get", IMPORTERS, 302),
    "labour_market:import_progress": ("/demand/imports/{posting_import}/progress/", "get", IMPORTERS, 302),
    "labour_market:import_retag": (
        "/demand/imports/{posting_import}/retag/",
        "post",
        {**IMPORTERS, "administrator": 302, "director": 302},
        302,
    ),
}


def prepare(role_users, reference):
    from cbec_talent.labour_market.models import PostingImport

    imp = PostingImport.objects.create(
        file_name="perm.csv",
        file_format="csv",
        encoding="utf-8-sig",
        framework=reference,
        headers=["职位名称", "公司"],
        mapping={"title": "职位名称", "company": "公司"},
        created_by=role_users["director"],
    )
    return {"posting_import": imp.pk}


EXPECTATIONS.update(
    {
        "labour_market:alert_settings": ("/demand/alerts/", "get", IMPORTERS, 302),
        # no such alert: staff get 404, the others are refused first
        "labour_market:alert": (
            "/demand/alerts/999999/",
            "get",
            {**STAFF, "administrator": 404, "director": 404, "teacher": 404},
            302,
        ),
    }
)
