"""Programme validation with bilingual messages.

Rules (``ValidationIssue.rule``): ``credits_total``, ``hours_total``, ``theory_share``, ``prerequisites``,
``semester_load``, ``module_minimum``, ``high_support`` (every competency required by a target position has
at least one high-strength course), ``orphan_course`` (a course supporting no competency is an error; one
supporting none of the target positions' competencies is a warning).
"""

from __future__ import annotations

from .data import Bounds, ProgrammeDocument, Text, ValidationIssue


def _range_zh(b: Bounds, unit: str = "") -> str:
    if b.min is not None and b.max is not None:
        return f"{b.min:g}{unit}" if b.min == b.max else f"{b.min:g}–{b.max:g}{unit}"
    return f"≥ {b.min:g}{unit}" if b.min is not None else f"≤ {b.max:g}{unit}"


def _err(rule: str, subject: str, zh: str, en: str, severity: str = "error") -> ValidationIssue:
    return ValidationIssue(rule, severity, subject, Text(zh, en))


def semester_loads(doc: ProgrammeDocument) -> dict[int, tuple[float, float]]:
    """(credits, hours) per semester; a course over several semesters is spread evenly over them."""
    loads = {s: [0.0, 0.0] for s in range(1, doc.semesters + 1)}
    for c in doc.courses:
        n = len(c.semesters)
        for s in c.semesters:
            loads.setdefault(s, [0.0, 0.0])
            loads[s][0] += c.credits / n
            loads[s][1] += c.total_hours / n
    return {s: (round(v[0], 6), round(v[1], 6)) for s, v in sorted(loads.items())}


def validate_programme(doc: ProgrammeDocument) -> list[ValidationIssue]:
    """All rule violations of ``doc`` against its own targets and positions (empty list = valid)."""
    t = doc.targets
    out: list[ValidationIssue] = []
    credits = sum(c.credits for c in doc.courses)
    theory = sum(c.theory_hours for c in doc.courses)
    hours = sum(c.total_hours for c in doc.courses)
    if t.total_credits and not t.total_credits.contains(credits):
        r = _range_zh(t.total_credits)
        out.append(
            _err(
                "credits_total",
                "programme",
                f"总学分为 {credits:g}，目标为 {r}",
                f"total credits are {credits:g}, the target is {r}",
            )
        )
    if t.total_hours and not t.total_hours.contains(hours):
        r = _range_zh(t.total_hours)
        out.append(
            _err(
                "hours_total",
                "programme",
                f"总学时为 {hours:g}，目标为 {r}",
                f"total hours are {hours:g}, the target is {r}",
            )
        )
    if t.theory_share and hours and not t.theory_share.contains(theory / hours):
        b = t.theory_share
        r = _range_zh(Bounds(None if b.min is None else 100 * b.min, None if b.max is None else 100 * b.max), "%")
        share = 100.0 * theory / hours
        out.append(
            _err(
                "theory_share",
                "programme",
                f"理论学时占比为 {share:.1f}%，要求 {r}",
                f"theory hours are {share:.1f}% of all hours, the bounds are {r}",
            )
        )
    by_code = {c.code: c for c in doc.courses}
    for c in doc.courses:
        for p in c.prerequisites:
            pc = by_code.get(p)
            if pc is None:
                out.append(
                    _err(
                        "prerequisites",
                        c.code,
                        f"课程 {c.code} 的先修课程 {p} 不在方案中",
                        f"course {c.code}: prerequisite {p} is not in the programme",
                    )
                )
            elif max(pc.semesters) >= min(c.semesters):
                out.append(
                    _err(
                        "prerequisites",
                        c.code,
                        f"课程 {c.code}（第 {min(c.semesters)} 学期）应安排在先修课程 {p}"
                        f"（第 {max(pc.semesters)} 学期）之后",
                        f"course {c.code} (semester {min(c.semesters)}) must come after its prerequisite "
                        f"{p} (semester {max(pc.semesters)})",
                    )
                )
    for s, (cr, hr) in semester_loads(doc).items():
        for bound, value, zh_u, en_u in (
            (t.semester_credits, cr, "学分", "credits"),
            (t.semester_hours, hr, "学时", "hours"),
        ):
            if bound and not bound.contains(value):
                r = _range_zh(bound)
                out.append(
                    _err(
                        "semester_load",
                        f"semester {s}",
                        f"第 {s} 学期{zh_u}为 {value:g}，限制为 {r}",
                        f"semester {s} carries {value:g} {en_u}, the limit is {r}",
                    )
                )
    for mod, minimum in t.module_min_credits.items():
        got = sum(c.credits for c in doc.courses if c.module == mod)
        if got < minimum - 1e-9:
            out.append(
                _err(
                    "module_minimum",
                    mod,
                    f"模块 {mod} 学分为 {got:g}，最低要求 {minimum:g}",
                    f"module {mod} has {got:g} credits, the minimum is {minimum:g}",
                )
            )
    required: dict[str, list[str]] = {}
    for p in doc.positions:
        for q in p.requirements:
            required.setdefault(q.competency, []).append(p.code)
    high = {s.competency for c in doc.courses for s in c.supports if s.strength == "H"}
    for k, pos in sorted(required.items()):
        if k not in high:
            names = "、".join(dict.fromkeys(pos))
            out.append(
                _err(
                    "high_support",
                    k,
                    f"岗位 {names} 要求的能力 {k} 没有任何高支撑（H）课程",
                    f"competency {k} required by {', '.join(dict.fromkeys(pos))} has no " + "high-strength (H) course",
                )
            )
    for c in doc.courses:
        if not c.supports:
            out.append(
                _err(
                    "orphan_course",
                    c.code,
                    f"课程 {c.code}（{c.name.zh}）不支撑任何能力",
                    f"course {c.code} ({c.name.en}) supports no competency",
                )
            )
        elif required and not any(s.competency in required for s in c.supports):
            out.append(
                _err(
                    "orphan_course",
                    c.code,
                    f"课程 {c.code}（{c.name.zh}）不支撑目标岗位的任何能力",
                    f"course {c.code} ({c.name.en}) supports none of the target positions' competencies",
                    severity="warning",
                )
            )
    return out
