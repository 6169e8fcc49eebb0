"""Programme versions: copy a programme to a new version and show what changed between two versions."""

from __future__ import annotations

from dataclasses import dataclass, field

from cbec_talent.engines.curriculum import allocation_table, coverage

from .models import Programme
from .services import programme_dict, programme_document, programme_import


def programme_copy(*, programme: Programme, version: str, actor=None) -> Programme:
    """A new version with the same modules, courses, targets and stated figures (audited as an import)."""
    return programme_import(
        document=programme_dict(programme), framework=programme.framework, actor=actor, version=version
    )


@dataclass(frozen=True)
class CourseChange:
    code: str
    name: str
    changes: tuple[tuple[str, str, str], ...]  # (field, before, after)


@dataclass
class ProgrammeDiff:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    moved: list[CourseChange] = field(default_factory=list)  # semester changes
    changed: list[CourseChange] = field(default_factory=list)  # credits, hours, supports, ...
    totals: list[tuple[str, str, str]] = field(default_factory=list)  # (figure, before, after)
    coverage: list[tuple[str, str, str]] = field(default_factory=list)  # (competency, before, after) status

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.moved or self.changed or self.totals or self.coverage)


COMPARED = (
    "module",
    "credits",
    "theory_hours",
    "practice_hours",
    "required",
    "prerequisites",
    "teaching_mode",
    "stage",
    "supports",
)


def _fmt(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}:{v}" for k, v in sorted(value.items())) or "—"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value) or "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def programme_diff(old: Programme, new: Programme) -> ProgrammeDiff:
    """Courses added, removed, moved between semesters and changed; totals and coverage status that changed."""
    a, b = programme_dict(old), programme_dict(new)
    before = {c["code"]: c for c in a["courses"]}
    after = {c["code"]: c for c in b["courses"]}
    diff = ProgrammeDiff()
    diff.added = [after[k] for k in after if k not in before]
    diff.removed = [before[k] for k in before if k not in after]
    for code in (k for k in after if k in before):
        x, y = before[code], after[code]
        name = y["name"]["zh"]
        if x["semesters"] != y["semesters"]:
            diff.moved.append(CourseChange(code, name, (("semesters", _fmt(x["semesters"]), _fmt(y["semesters"])),)))
        changes = tuple((f, _fmt(x.get(f)), _fmt(y.get(f))) for f in COMPARED if x.get(f) != y.get(f))
        if changes:
            diff.changed.append(CourseChange(code, name, changes))
    ta, tb = allocation_table(programme_document(old)), allocation_table(programme_document(new))
    for label, va, vb in (
        ("credits", ta.total.credits, tb.total.credits),
        ("total_hours", ta.total.total_hours, tb.total.total_hours),
        ("theory_hours", ta.total.theory_hours, tb.total.theory_hours),
        ("practice_hours", ta.total.practice_hours, tb.total.practice_hours),
        ("theory_practice", ta.total.ratio, tb.total.ratio),
    ):
        if va != vb:
            diff.totals.append((label, _fmt(va), _fmt(vb)))
    ca = {e.competency: e.status for e in coverage(programme_document(old)).entries}
    cb = {e.competency: e.status for e in coverage(programme_document(new)).entries}
    for comp in sorted(set(ca) | set(cb)):
        if ca.get(comp) != cb.get(comp):
            diff.coverage.append((comp, ca.get(comp, "—"), cb.get(comp, "—")))
    return diff
