"""Template for an app's permission expectations (files starting with _ are ignored).

EXPECTATIONS = {
    "myapp:list": ("/myapp/", "get", {"administrator": 200, "director": 200, "teacher": 200,
                                      "enterprise_tutor": 403, "student": 403}, 302),
    "myapp:detail": ("/myapp/{thing}/", "get", {...}, 302),
}


def prepare(role_users, reference):
    thing = make_the_thing(...)
    return {"thing": thing.pk}
"""
