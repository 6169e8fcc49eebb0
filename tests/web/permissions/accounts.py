"""Permission expectations of the accounts app's own routes beyond sign-in (the home page's guides)."""

# the matrix posts no guide key: signed-in users get 404 (nothing to hide), anonymous users the sign-in page
EXPECTATIONS = {
    "accounts:guide_dismiss": (
        "/accounts/guide/dismiss/",
        "post",
        {"administrator": 404, "director": 404, "teacher": 404, "enterprise_tutor": 404, "student": 404},
        302,
    ),
}
