"""Building the score tensor from (student, course, component, score) records, as the database holds them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .data import ScoreTensor
from .model import AttainmentModel


def scores_from_records(
    students: Sequence[str],
    model: AttainmentModel,
    records: Iterable[tuple[str, str, str, float | None]],
    *,
    dtype: type = np.float32,
) -> ScoreTensor:
    """Place each record's score at (student, course, component slot); everything not given stays NaN.

    A ``None`` score is missing (NaN). Raises ValueError naming the record for an unknown student, course
    or component, a score outside ``0 .. full_marks`` of its course, or a (student, component) given twice.
    """
    s_index = {s: i for i, s in enumerate(students)}
    if len(s_index) != len(students):
        raise ValueError("students: duplicate student ids")
    c_index = {p.course: i for i, p in enumerate(model.plans)}
    k_index = [{comp.code: k for k, comp in enumerate(p.components)} for p in model.plans]
    values = np.full((len(students), len(model.plans), model.slots), np.nan, dtype=dtype)
    seen = np.zeros(values.shape, dtype=bool)
    for n, (student, course, component, score) in enumerate(records):
        where = f"record {n} ({student!r}, {course!r}, {component!r})"
        if student not in s_index:
            raise ValueError(f"{where}: unknown student")
        if course not in c_index:
            raise ValueError(f"{where}: course has no assessment plan")
        c = c_index[course]
        if component not in k_index[c]:
            raise ValueError(f"{where}: the course's plan has no such component")
        i, k = s_index[student], k_index[c][component]
        if seen[i, c, k]:
            raise ValueError(f"{where}: given twice")
        seen[i, c, k] = True
        if score is None:
            continue
        full = model.plans[c].full_marks
        if not 0.0 <= float(score) <= full:
            raise ValueError(f"{where}: score {score} is outside 0..{full:g}")
        values[i, c, k] = score
    return ScoreTensor(students=tuple(students), courses=model.courses, values=values)
