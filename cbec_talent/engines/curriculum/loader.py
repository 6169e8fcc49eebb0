"""Load a programme document (YAML file, YAML text or an already parsed dict) into dataclasses.

Format ``cbec-programme/1`` (see reference/programmes/paper000.yaml): ``programme`` {code, name{zh,en},
semesters, source}, ``modules`` [{code, name}], ``targets`` {total_credits, total_hours (number = exact, or
{min, max}), theory_share {min, max} (0..1), semester_credits, semester_hours, module_min_credits {MOD: n}},
``positions`` [{code, name, directions, requirements [{competency, level}]}], ``courses`` [{code, name,
module, credits, theory_hours, practice_hours, semesters, required, prerequisites, teaching_mode, stage,
supports {COMPETENCY: H|M|L}}], optional ``stated`` {source, rows [{module, credits, percent, total_hours,
theory_hours, practice_hours}], theory_practice_ratio "T:P"}.

Every problem is reported at once, each naming its row (e.g. ``courses[3] (SP01)``) and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .data import (
    LEVEL_RANK,
    STAGES,
    STRENGTH_VALUE,
    TEACHING_MODES,
    Bounds,
    Course,
    Module,
    Position,
    ProgrammeDocument,
    RequiredCompetency,
    StatedRow,
    StatedTable,
    Support,
    Targets,
    Text,
)


@dataclass(frozen=True)
class Problem:
    row: str
    field: str
    message: Text

    def __str__(self) -> str:
        return f"{self.row}, {self.field}: {self.message.en} / {self.message.zh}"


class ProgrammeDocumentError(ValueError):
    """Bad programme document; ``problems`` lists every row/field at fault."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in problems))


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, row: str, field: str, en: str, zh: str) -> None:
        self.problems.append(Problem(row, field, Text(zh, en)))

    def text(self, d: Mapping, row: str, field: str = "name") -> Text:
        v = d.get(field)
        if not isinstance(v, Mapping) or not all(isinstance(v.get(k), str) and v.get(k) for k in ("zh", "en")):
            self.bad(row, field, "needs a mapping with non-empty zh and en texts", "需要包含非空 zh 与 en 的文本")
            return Text("", "")
        return Text(v["zh"], v["en"])

    def number(
        self,
        d: Mapping,
        row: str,
        field: str,
        *,
        integer: bool = False,
        required: bool = True,
        minimum: float = 0.0,
        default: Any = None,
    ):
        v = d.get(field, default)
        if v is None:
            if required:
                self.bad(row, field, "is missing", "缺失")
            return None
        if isinstance(v, bool) or not isinstance(v, int | float) or (integer and float(v) != int(v)):
            self.bad(
                row,
                field,
                f"must be a{'n integer' if integer else ' number'}, got {v!r}",
                f"必须是{'整数' if integer else '数字'}，实际为 {v!r}",
            )
            return None
        if v < minimum:
            self.bad(row, field, f"must be >= {minimum:g}, got {v}", f"必须 >= {minimum:g}，实际为 {v}")
            return None
        return int(v) if integer else float(v)

    def bounds(self, d: Mapping, row: str, field: str) -> Bounds | None:
        v = d.get(field)
        if v is None:
            return None
        if isinstance(v, int | float) and not isinstance(v, bool):
            return Bounds(float(v), float(v))
        if isinstance(v, Mapping) and set(v) <= {"min", "max"}:
            lo = self.number({f"{field}.min": v.get("min")}, row, f"{field}.min", required=False)
            hi = self.number({f"{field}.max": v.get("max")}, row, f"{field}.max", required=False)
            if lo is not None and hi is not None and lo > hi:
                self.bad(row, field, f"min {lo:g} exceeds max {hi:g}", f"下限 {lo:g} 大于上限 {hi:g}")
            return Bounds(lo, hi)
        self.bad(row, field, "must be a number or {min, max}", "必须是数字或 {min, max}")
        return None

    def items(self, doc: Mapping, key: str, required: bool = True) -> list:
        v = doc.get(key)
        if v is None and not required:
            return []
        if not isinstance(v, list) or (required and not v):
            self.bad(key, key, "must be a non-empty list", "必须是非空列表")
            return []
        return v


def _course(r: _Reader, c: Any, row: str, modules: set[str], semesters: int) -> Course | None:
    if not isinstance(c, Mapping):
        r.bad(row, "-", "must be a mapping", "必须是映射")
        return None
    code = c.get("code")
    if not isinstance(code, str) or not code:
        r.bad(row, "code", "is missing", "缺失")
        code = ""
    row = f"{row} ({code})" if code else row
    name = r.text(c, row)
    module = c.get("module")
    if module not in modules:
        r.bad(row, "module", f"unknown module {module!r}", f"未知模块 {module!r}")
    credits = r.number(c, row, "credits")
    th = r.number(c, row, "theory_hours", integer=True)
    pr = r.number(c, row, "practice_hours", integer=True)
    sems = c.get("semesters")
    if not isinstance(sems, list) or not sems or not all(isinstance(s, int) and 1 <= s <= semesters for s in sems):
        r.bad(
            row,
            "semesters",
            f"must list semesters between 1 and {semesters}, got {sems!r}",
            f"必须列出 1 至 {semesters} 之间的学期，实际为 {sems!r}",
        )
        sems = []
    pre = c.get("prerequisites", []) or []
    if not isinstance(pre, list) or not all(isinstance(p, str) for p in pre):
        r.bad(row, "prerequisites", "must be a list of course codes", "必须是课程代码列表")
        pre = []
    mode = c.get("teaching_mode", "school")
    if mode not in TEACHING_MODES:
        r.bad(
            row,
            "teaching_mode",
            f"must be one of {', '.join(TEACHING_MODES)}",
            f"必须是 {'、'.join(TEACHING_MODES)} 之一",
        )
    stage = c.get("stage", "theory")
    if stage not in STAGES:
        r.bad(row, "stage", f"must be one of {', '.join(STAGES)}", f"必须是 {'、'.join(STAGES)} 之一")
    sup = c.get("supports", {}) or {}
    supports = []
    if not isinstance(sup, Mapping):
        r.bad(row, "supports", "must map competency codes to H/M/L", "必须把能力代码映射到 H/M/L")
    else:
        for k, s in sup.items():
            if s not in STRENGTH_VALUE:
                r.bad(
                    row,
                    f"supports.{k}",
                    f"strength must be H, M or L, got {s!r}",
                    f"支撑强度必须是 H、M 或 L，实际为 {s!r}",
                )
            else:
                supports.append(Support(str(k), s))
    required = c.get("required", True)
    if not isinstance(required, bool):
        r.bad(row, "required", "must be true or false", "必须是 true 或 false")
    if None in (credits, th, pr) or not code:
        return None
    return Course(
        code,
        name,
        str(module),
        credits,
        th,
        pr,
        tuple(sems),
        bool(required),
        tuple(pre),
        str(mode),
        str(stage),
        tuple(supports),
    )


def _positions(r: _Reader, doc: Mapping) -> list[Position]:
    out = []
    for n, p in enumerate(r.items(doc, "positions", required=False)):
        row = f"positions[{n}]"
        if not isinstance(p, Mapping) or not isinstance(p.get("code"), str):
            r.bad(row, "code", "is missing", "缺失")
            continue
        row = f"{row} ({p['code']})"
        reqs = []
        for m, q in enumerate(p.get("requirements") or []):
            ok = isinstance(q, Mapping) and isinstance(q.get("competency"), str)
            if not ok or q.get("level") not in LEVEL_RANK:
                r.bad(
                    row,
                    f"requirements[{m}]",
                    "needs competency and level (aware/apply/master)",
                    "需要 competency 与 level（aware/apply/master）",
                )
                continue
            reqs.append(RequiredCompetency(q["competency"], q["level"]))
        if not reqs:
            r.bad(row, "requirements", "must list at least one competency", "至少列出一项能力要求")
        out.append(Position(p["code"], r.text(p, row), tuple(p.get("directions") or ()), tuple(reqs)))
    return out


def _stated(r: _Reader, doc: Mapping) -> StatedTable | None:
    st = doc.get("stated")
    if st is None:
        return None
    rows = []
    for n, s in enumerate(r.items(st, "rows")):
        row = f"stated.rows[{n}]"
        if not isinstance(s, Mapping) or not isinstance(s.get("module"), str):
            r.bad(row, "module", "is missing", "缺失")
            continue
        vals = {
            f: r.number(s, row, f, required=False)
            for f in ("credits", "percent", "total_hours", "theory_hours", "practice_hours")
        }
        rows.append(StatedRow(s["module"], **vals))
    ratio = st.get("theory_practice_ratio")
    if ratio is not None and (not isinstance(ratio, str) or len(ratio.split(":")) != 2):
        r.bad("stated", "theory_practice_ratio", 'must look like "62:38"', '格式必须类似 "62:38"')
        ratio = None
    return StatedTable(str(st.get("source", "")), tuple(rows), ratio)


def load_programme_document(source: str | Path | Mapping) -> ProgrammeDocument:
    """Parse a programme document from a path, YAML text or dict. Raises ``ProgrammeDocumentError``
    listing every bad row and field; nothing half-built is returned."""
    if isinstance(source, Mapping):
        doc = source
    else:
        p = Path(source) if isinstance(source, Path) or "\n" not in str(source) else None
        try:
            doc = yaml.safe_load(p.read_text(encoding="utf-8") if p is not None else str(source))
        except (OSError, yaml.YAMLError) as exc:
            problem = Problem("document", "-", Text(f"无法读取：{exc}", f"cannot read: {exc}"))
            raise ProgrammeDocumentError([problem]) from exc
    r = _Reader()
    if not isinstance(doc, Mapping):
        raise ProgrammeDocumentError([Problem("document", "-", Text("文档必须是映射", "document must be a mapping"))])
    head = doc.get("programme") if isinstance(doc.get("programme"), Mapping) else {}
    if not head:
        r.bad("programme", "programme", "is missing", "缺失")
    semesters = r.number(head, "programme", "semesters", integer=True, minimum=1, default=None) if head else None
    modules = []
    for n, m in enumerate(r.items(doc, "modules")):
        if not isinstance(m, Mapping) or not isinstance(m.get("code"), str):
            r.bad(f"modules[{n}]", "code", "is missing", "缺失")
            continue
        modules.append(Module(m["code"], r.text(m, f"modules[{n}] ({m['code']})")))
    mcodes = {m.code for m in modules}
    courses = [
        c
        for n, raw in enumerate(r.items(doc, "courses"))
        if (c := _course(r, raw, f"courses[{n}]", mcodes, semesters or 99)) is not None
    ]
    seen: set[str] = set()
    for c in courses:
        if c.code in seen:
            r.bad(f"courses ({c.code})", "code", "is duplicated", "重复")
        seen.add(c.code)
        for p in c.prerequisites:
            if p not in {x.code for x in courses}:
                r.bad(f"courses ({c.code})", "prerequisites", f"unknown course {p!r}", f"未知课程 {p!r}")
    t = doc.get("targets") or {}
    mins = t.get("module_min_credits") or {}
    targets = Targets(
        r.bounds(t, "targets", "total_credits"),
        r.bounds(t, "targets", "total_hours"),
        r.bounds(t, "targets", "theory_share"),
        r.bounds(t, "targets", "semester_credits"),
        r.bounds(t, "targets", "semester_hours"),
        {str(k): float(v) for k, v in mins.items() if isinstance(v, int | float)},
    )
    for k, v in mins.items():
        if isinstance(v, bool) or not isinstance(v, int | float):
            r.bad(
                "targets",
                f"module_min_credits.{k}",
                f"must be a number, got {v!r}",
                f"必须是数字，实际为 {v!r}",
            )
        if k not in mcodes:
            r.bad("targets", f"module_min_credits.{k}", "unknown module", "未知模块")
    positions = _positions(r, doc)
    stated = _stated(r, doc)
    if r.problems:
        raise ProgrammeDocumentError(r.problems)
    return ProgrammeDocument(
        str(head.get("code", "")),
        r.text(head, "programme"),
        int(semesters or 0),
        tuple(modules),
        tuple(courses),
        targets,
        tuple(positions),
        stated,
        str(head.get("source", "")),
    )


def sample_programme_path() -> Path:
    """Path of the shipped sample programme (paper 000, Table 1): reference/programmes/paper000.yaml."""
    return Path(__file__).resolve().parents[2] / "reference" / "programmes" / "paper000.yaml"
