"""Coverage of the target positions' required competencies by a programme.

A requirement at level aware / apply / master is ``covered`` when some course supports it with at least
L / M / H strength respectively, ``weak`` when only weaker links exist, ``uncovered`` when none does. The
matrix holds strength units (H 3, M 2, L 1; a course over several semesters counts in each) per
competency x semester, ready for a heatmap.
"""

from __future__ import annotations

from .data import LEVEL_RANK, STRENGTH_VALUE, CoverageEntry, CoverageReport, Position, ProgrammeDocument

_NEEDED = {"aware": 1, "apply": 2, "master": 3}


def coverage(
    doc: ProgrammeDocument,
    positions: tuple[Position, ...] | None = None,
    *,
    position: str | None = None,
    direction: str | None = None,
) -> CoverageReport:
    """Coverage of the requirements of ``positions`` (default: the document's), restricted to one position
    code or to the positions of one direction."""
    pool = doc.positions if positions is None else positions
    scope = "ALL"
    if position is not None:
        pool = tuple(p for p in pool if p.code == position)
        scope = position
    elif direction is not None:
        pool = tuple(p for p in pool if direction in p.directions)
        scope = direction
    level: dict[str, str] = {}
    who: dict[str, list[str]] = {}
    for p in pool:
        for q in p.requirements:
            if q.competency not in level or LEVEL_RANK[q.level] > LEVEL_RANK[level[q.competency]]:
                level[q.competency] = q.level
            who.setdefault(q.competency, [])
            if p.code not in who[q.competency]:
                who[q.competency].append(p.code)
    comps = tuple(sorted(level))
    sems = tuple(range(1, doc.semesters + 1))
    matrix = {k: [0] * len(sems) for k in comps}
    entries = []
    for k in comps:
        strength, best, in_sems, courses = 0, 0, set(), []
        for c in doc.courses:
            for s in c.supports:
                if s.competency != k:
                    continue
                v = STRENGTH_VALUE[s.strength]
                strength += v
                best = max(best, v)
                courses.append(c.code)
                for sem in c.semesters:
                    if 1 <= sem <= len(sems):
                        matrix[k][sem - 1] += v
                    in_sems.add(sem)
        status = "uncovered" if best == 0 else ("covered" if best >= _NEEDED[level[k]] else "weak")
        max_strength = {3: "H", 2: "M", 1: "L"}.get(best)
        entries.append(
            CoverageEntry(
                k,
                level[k],
                tuple(who[k]),
                strength,
                max_strength,
                tuple(sorted(in_sems)),
                tuple(courses),
                status,
            )
        )
    return CoverageReport(
        scope,
        comps,
        sems,
        tuple(tuple(matrix[k]) for k in comps),
        tuple(entries),
        tuple(e for e in entries if e.status != "covered"),
    )


def coverage_by_scope(doc: ProgrammeDocument) -> dict[str, CoverageReport]:
    """One report per target position and per direction of the document's positions (keyed by code)."""
    out = {p.code: coverage(doc, position=p.code) for p in doc.positions}
    for d in dict.fromkeys(d for p in doc.positions for d in p.directions):
        out[d] = coverage(doc, direction=d)
    return out
