"""Programme Excel/PDF export (readers) and Excel import (editors)."""

READERS = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
EDITORS = {"administrator": 200, "director": 200, "teacher": 403, "enterprise_tutor": 403, "student": 403}

EXPECTATIONS = {
    "programmes:export": ("/programmes/{prog}/export.xlsx", "get", READERS, 302),
    "programmes:import": ("/programmes/import/", "get", EDITORS, 302),
}
