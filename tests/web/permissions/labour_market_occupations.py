"""The occupation view: staff read it; directors and administrators correct a posting's code."""

STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
CORRECTORS = {"administrator": 302, "director": 302, "teacher": 403, "enterprise_tutor": 403, "student": 403}

EXPECTATIONS = {
    "labour_market:occupations": ("/demand/occupations/", "get", STAFF, 302),
    "labour_market:occupation_detail": ("/demand/occupations/4-01-06-01/", "get", STAFF, 302),
    "labour_market:posting_occupation": ("/demand/postings/{occupation_posting}/occupation/", "post", CORRECTORS, 302),
}


def prepare(role_users, reference):
    from cbec_talent.labour_market.models import Posting, PostingImport

    imp = PostingImport.objects.create(
        file_name="perm-occupation.csv", file_format="csv", framework=reference, status=PostingImport.Status.DONE
    )
    posting = Posting.objects.create(
        posting_import=imp, row=2, title="亚马逊运营专员", hash="h", near_key="n",
        tags={"occupation": {"4-01-06-01": "cleaned: 亚马逊运营专员"}},
    )  # fmt: skip
    return {"occupation_posting": posting.pk}
