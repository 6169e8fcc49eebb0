"""Programme arithmetic: the credit and hour allocation table by module, and stated-vs-computed checks.

Rounding, defined once:
* ``percent`` (share of credits) = module credits / total credits x 100, rounded to whole percent by the
  largest-remainder (Hamilton) method so the column adds up to exactly 100: floor every share, then give
  the missing points to the largest remainders (ties: earlier module first). For paper 000 this gives
  54/150 = 36.0 -> 36, 20.0 -> 20, 22.67 -> 23, 21.33 -> 21.
* theory:practice ``ratio`` = theory hours / total hours x 100 rounded half up to a whole percent, and
  practice = 100 - theory (so "61:39" for 1692 / 2768 = 61.13 %).
"""

from __future__ import annotations

import math

from .data import AllocationRow, AllocationTable, Discrepancy, ProgrammeDocument, Text

FIGURES = {
    "credits": ("学分", "credits"),
    "percent": ("学分占比(%)", "% of credits"),
    "total_hours": ("总学时", "total hours"),
    "theory_hours": ("理论学时", "theory hours"),
    "practice_hours": ("实践学时", "practice hours"),
    "theory_practice_ratio": ("理论:实践(%)", "theory:practice (%)"),
}


def largest_remainder_percent(values: list[float]) -> list[int]:
    """Whole percentages of ``values`` that add up to exactly 100 (largest-remainder method)."""
    total = float(sum(values))
    if total <= 0:
        return [0] * len(values)
    exact = [100.0 * v / total for v in values]
    floors = [math.floor(e + 1e-9) for e in exact]
    missing = 100 - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return floors


def ratio_text(theory: float, total: float) -> str:
    """'T:P' in whole percent of hours, theory rounded half up, practice = 100 - theory."""
    if total <= 0:
        return "0:0"
    t = math.floor(100.0 * theory / total + 0.5)
    return f"{t}:{100 - t}"


def allocation_table(doc: ProgrammeDocument) -> AllocationTable:
    """Credits, % of credits, total, theory and practice hours and theory:practice per module and in total,
    computed from the courses; ``discrepancies`` lists every stated figure that disagrees. Raises
    ``ValueError`` for a course in a module the document does not define."""
    sums = {m.code: [0.0, 0, 0] for m in doc.modules}
    for c in doc.courses:
        if c.module not in sums:
            en = f"course {c.code}: unknown module {c.module!r}"
            raise ValueError(f"{en} / 课程 {c.code}：未知模块 {c.module}")
        s = sums[c.module]
        s[0] += c.credits
        s[1] += c.theory_hours
        s[2] += c.practice_hours
    credits = [sums[m.code][0] for m in doc.modules]
    total_credits = sum(credits)
    pct = largest_remainder_percent(credits)
    rows = []
    for m, p in zip(doc.modules, pct, strict=True):
        cr, th, pr = sums[m.code]
        rows.append(
            AllocationRow(
                m.code,
                m.name,
                cr,
                p,
                100.0 * cr / total_credits if total_credits else 0.0,
                th + pr,
                th,
                pr,
                ratio_text(th, th + pr),
            )
        )
    th = sum(r.theory_hours for r in rows)
    pr = sum(r.practice_hours for r in rows)
    total = AllocationRow(
        "TOTAL",
        Text("合计", "Total"),
        total_credits,
        100 if total_credits else 0,
        100.0 if total_credits else 0.0,
        th + pr,
        th,
        pr,
        ratio_text(th, th + pr),
    )
    table = AllocationTable(tuple(rows), total, th / (th + pr) if th + pr else 0.0)
    return AllocationTable(table.rows, table.total, table.theory_share, tuple(discrepancies(doc, table)))


def _fmt(v: float) -> str:
    return f"{v:g}"


def discrepancies(doc: ProgrammeDocument, table: AllocationTable) -> list[Discrepancy]:
    """Every figure the document states (``doc.stated``) that differs from the computed table."""
    st = doc.stated
    if st is None:
        return []
    computed = {r.module: r for r in table.rows}
    computed["TOTAL"] = table.total
    out: list[Discrepancy] = []
    for srow in st.rows:
        crow = computed.get(srow.module)
        for f in ("credits", "percent", "total_hours", "theory_hours", "practice_hours"):
            stated = getattr(srow, f)
            if stated is None:
                continue
            if crow is None:
                out.append(
                    _disc(
                        f"{srow.module}.{f}",
                        _fmt(stated),
                        "—",
                        srow.module,
                        f,
                        st.source,
                        extra=("该模块在课程中不存在", "no course belongs to this module"),
                    )
                )
                continue
            value = float(getattr(crow, f))
            if abs(value - stated) > 1e-9:
                out.append(_disc(f"{srow.module}.{f}", _fmt(stated), _fmt(value), srow.module, f, st.source))
    if st.theory_practice_ratio is not None:
        exact = 100.0 * table.theory_share
        th, tot = table.total.theory_hours, table.total.total_hours
        comp = table.total.ratio
        stated_norm = ":".join(p.strip() for p in st.theory_practice_ratio.split(":"))
        if stated_norm != comp:
            out.append(
                _disc(
                    "TOTAL.theory_practice_ratio",
                    st.theory_practice_ratio,
                    comp,
                    "TOTAL",
                    "theory_practice_ratio",
                    st.source,
                    extra=(
                        f"按课程计算：理论 {th} / 总 {tot} 学时 = {exact:.1f}%",
                        f"from the courses: {th} theory / {tot} total hours = {exact:.1f}%",
                    ),
                )
            )
    return out


def _disc(
    figure: str,
    stated: str,
    computed: str,
    module: str,
    f: str,
    source: str,
    extra: tuple[str, str] | None = None,
) -> Discrepancy:
    zh_name, en_name = FIGURES[f]
    where = "合计" if module == "TOTAL" else f"模块 {module}"
    where_en = "total" if module == "TOTAL" else f"module {module}"
    zh = f"{where}的{zh_name}：来源文件（{source}）写为 {stated}，由课程计算为 {computed}，二者不一致"
    en = f"{where_en} {en_name}: the source document ({source}) states {stated}, the courses give {computed}"
    if extra:
        zh += f"（{extra[0]}）"
        en += f" ({extra[1]})"
    return Discrepancy(figure, stated, computed, Text(zh, en))
