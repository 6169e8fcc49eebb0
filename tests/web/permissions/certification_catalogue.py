"""Permission expectations of the certificate catalogue: every signed-in role reads it and exports it;
administrators and directors edit and import."""

READ = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 200, "student": 200}
EDITORS = {"administrator": 200, "director": 200, "teacher": 403, "enterprise_tutor": 403, "student": 403}
EDITORS_POST = {"administrator": 302, "director": 302, "teacher": 403, "enterprise_tutor": 403, "student": 403}
C = "/certificates/catalogue"

EXPECTATIONS = {
    "certification:catalogue": (f"{C}/", "get", READ, 302),
    "certification:catalogue_export": (f"{C}/export.xlsx", "get", READ, 302),
    "certification:catalogue_import": (f"{C}/import/", "get", EDITORS, 302),
    "certification:catalogue_detail": (f"{C}/1X.B2B-DATA/", "get", READ, 302),
    "certification:catalogue_edit": (f"{C}/1X.B2B-DATA/edit/", "get", EDITORS, 302),
    "certification:catalogue_module_new": (f"{C}/1X.B2B-DATA/modules/new/", "get", EDITORS, 302),
    "certification:catalogue_module_edit": (f"{C}/1X.B2B-DATA/modules/B2B.M1/edit/", "get", EDITORS, 302),
    # the first editor removes the module, the second finds it gone (404)
    "certification:catalogue_module_delete": (
        f"{C}/1X.B2B-DATA/modules/B2B.M2/delete/",
        "post",
        {**EDITORS_POST, "director": 404},
        302,
    ),
}


def prepare(role_users, reference):
    from cbec_talent.certification.catalogue import catalogue_load

    catalogue_load()
    return {}
