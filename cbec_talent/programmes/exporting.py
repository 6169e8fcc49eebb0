"""A programme as an Excel workbook (which is also the import template) and as a printable PDF.

The workbook mirrors the programme document (reference/programmes/paper000.yaml): sheets `programme`,
`modules`, `courses`, `targets`, `positions` and `stated` are read back by `xlsx_to_programme_document`;
`allocation` (computed by the curriculum engine) and `README` are for reading only and are ignored on import.
Every problem found while reading names the sheet, the Excel row and the field, and all are reported at once.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.excel import SheetSpec, read_workbook, write_workbook
from cbec_talent.core.models import pick_language
from cbec_talent.core.pdf import render_pdf
from cbec_talent.engines.curriculum import allocation_table
from cbec_talent.engines.curriculum.data import LEVEL_RANK, STAGES, STRENGTH_VALUE, TEACHING_MODES

from .models import Programme, ProgrammeModule
from .selectors import programme_overview
from .services import _position_entries, programme_dict, programme_document

FORMAT = "cbec-programme/1"
SHEETS = {
    "programme": ("key", "value"),
    "modules": ("code", "kind", "name_zh", "name_en"),
    "courses": (
        "code",
        "module",
        "name_zh",
        "name_en",
        "credits",
        "theory_hours",
        "practice_hours",
        "semesters",
        "required",
        "prerequisites",
        "teaching_mode",
        "stage",
        "supports",
        "step",
        "certificates",
    ),
    "targets": ("key", "value"),
    "positions": ("code", "name_zh", "name_en", "directions", "requirements"),
    "stated": (
        "module",
        "credits",
        "percent",
        "total_hours",
        "theory_hours",
        "practice_hours",
        "theory_practice_ratio",
    ),
}
REQUIRED_SHEETS = ("programme", "modules", "courses")
PROGRAMME_KEYS = ("code", "version", "name_zh", "name_en", "source", "semesters", "stated_source")
TARGET_KEYS = ("total_credits", "total_hours", "theory_share", "semester_credits", "semester_hours")
STATED_FIGURES = ("credits", "percent", "total_hours", "theory_hours", "practice_hours")
ALLOCATION_HEADERS = (
    "module",
    "name_zh",
    "name_en",
    "credits",
    "percent",
    "total_hours",
    "theory_hours",
    "practice_hours",
    "theory_practice_ratio",
    "stated_differs",
)
YES = {"yes", "y", "true", "1", "是", "必修"}
NO = {"no", "n", "false", "0", "否", "选修"}
SEPARATORS = re.compile(r"[\n,，;；、]+")

README_FILE = Path(__file__).resolve().parent.parent / "templates" / "programmes" / "programme_xlsx_readme.yaml"


def _readme_rows() -> list[tuple]:
    entries = yaml.safe_load(README_FILE.read_text(encoding="utf-8"))
    return [(e["sheet"], e["column"], e["zh"], e["en"]) for e in entries]


# --- export --------------------------------------------------------------------------------------------------


def _lines(values) -> str:
    return "\n".join(str(v) for v in values or [])


def _flatten(prefix: str, value) -> list[tuple[str, object]]:
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            out.extend(_flatten(f"{prefix}.{k}" if prefix else str(k), v))
        return out
    return [(prefix, value)]


def programme_to_xlsx(programme: Programme) -> bytes:
    """The programme as an Excel workbook that `xlsx_to_programme_document` reads back unchanged."""
    doc = programme_dict(programme)
    head, stated = doc["programme"], doc.get("stated") or {}
    table = allocation_table(programme_document(programme))
    kv = [("format", FORMAT)] + [
        (k, v)
        for k, v in (
            ("code", head["code"]),
            ("version", str(head["version"])),
            ("name_zh", head["name"]["zh"]),
            ("name_en", head["name"]["en"]),
            ("source", head.get("source", "")),
            ("semesters", head["semesters"]),
        )
    ]
    if stated:
        kv.append(("stated_source", stated.get("source", "")))
    modules = [(m["code"], m.get("kind") or "other", m["name"]["zh"], m["name"]["en"]) for m in doc["modules"]]
    courses = [
        (
            c["code"],
            c["module"],
            c["name"]["zh"],
            c["name"]["en"],
            c["credits"],
            c["theory_hours"],
            c["practice_hours"],
            ",".join(str(s) for s in c["semesters"]),
            "yes" if c["required"] else "no",
            ",".join(c["prerequisites"]),
            c["teaching_mode"],
            c["stage"],
            "\n".join(f"{k}:{v}" for k, v in c["supports"].items()),
            c.get("step") or "",
            ",".join(c.get("certificates") or []),
        )
        for c in doc["courses"]
    ]
    positions = [
        (
            p["code"],
            p["name"]["zh"],
            p["name"]["en"],
            _lines(p.get("directions")),
            "\n".join(f"{r['competency']}:{r['level']}" for r in p.get("requirements") or []),
        )
        for p in doc["positions"]
    ]
    stated_rows = [
        (
            r["module"],
            *(r.get(f) for f in STATED_FIGURES),
            stated.get("theory_practice_ratio") if r["module"] == "TOTAL" else None,
        )
        for r in stated.get("rows") or []
    ]
    if stated.get("theory_practice_ratio") and not any(r["module"] == "TOTAL" for r in stated.get("rows") or []):
        stated_rows.append(("TOTAL", None, None, None, None, None, stated["theory_practice_ratio"]))
    differs: dict[str, list[str]] = {}
    for d in table.discrepancies:
        module, _sep, figure = d.figure.partition(".")
        differs.setdefault(module, []).append(f"{figure}: {d.stated} ≠ {d.computed}")
    allocation = [
        (
            r.module,
            r.name.zh,
            r.name.en,
            r.credits,
            r.percent,
            r.total_hours,
            r.theory_hours,
            r.practice_hours,
            r.ratio,
            "\n".join(differs.get(r.module, [])),
        )
        for r in (*table.rows, table.total)
    ]
    data = {
        "programme": kv,
        "modules": modules,
        "courses": courses,
        "targets": _flatten("", doc.get("targets") or {}),
        "positions": positions,
        "stated": stated_rows,
    }
    sheets = [
        (SheetSpec(name, headers, widths=[16] + [24] * (len(headers) - 1)), data[name])
        for name, headers in SHEETS.items()
    ]
    sheets.append((SheetSpec("allocation", ALLOCATION_HEADERS, widths=[10, 24, 32] + [12] * 6 + [36]), allocation))
    sheets.append(
        (SheetSpec("README", ("sheet", "column", "说明", "description"), widths=[14, 30, 60, 70]), _readme_rows())
    )
    book = load_workbook(io.BytesIO(write_workbook(sheets)))
    for name in ("allocation", "README"):
        book[name].protection.sheet = True
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


# --- import --------------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Reader:
    """Converts cells, recording a Problem (sheet, Excel row, field) for every bad one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, message: str, sheet: str, row: int | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(message, row=row, field=field, sheet=sheet))

    def number(self, value, sheet, row, field, *, integer=False, required=True):
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.bad(_("A value is required."), sheet, row, field)
            return None
        given = value
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                value = None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            self.bad(_("Should be a non-negative number, not “%(v)s”.") % {"v": given}, sheet, row, field)
            return None
        if integer:
            if float(value) != int(value):
                self.bad(_("Should be a whole number, not %(v)s.") % {"v": value}, sheet, row, field)
                return None
            return int(value)
        return value if isinstance(value, int) else float(value)

    def required_text(self, record, sheet, row, field) -> str:
        value = _text(record.get(field))
        if not value:
            self.bad(_("A value is required."), sheet, row, field)
        return value


def _check_structure(book: dict, r: _Reader) -> None:
    for name, headers in SHEETS.items():
        if name not in book:
            if name in REQUIRED_SHEETS:
                r.bad(_("Missing sheet: %(name)s") % {"name": name}, name)
            continue
        present = set().union(*(record.keys() for _n, record in book[name])) if book[name] else set(headers)
        for h in headers:
            if h not in present:
                r.bad(_("Missing column: %(col)s") % {"col": h}, name, 1, h)
        for number, record in book[name]:
            if "__extra__" in record:
                r.bad(_("There are extra columns without a header."), name, number)


def _key_values(book, sheet, r: _Reader, allowed=None) -> dict[str, tuple[int, object]]:
    out: dict[str, tuple[int, object]] = {}
    for number, record in book.get(sheet, []):
        key = _text(record.get("key"))
        if not key:
            r.bad(_("A value is required."), sheet, number, "key")
        elif allowed is not None and key not in allowed and key != "format":
            r.bad(_("Unknown key: %(v)s") % {"v": key}, sheet, number, "key")
        elif key in out:
            r.bad(_("Duplicate key: %(v)s") % {"v": key}, sheet, number, "key")
        else:
            out[key] = (number, record.get("value"))
    return out


def _read_programme(book, r: _Reader) -> tuple[dict, int | None, str]:
    kv = _key_values(book, "programme", r, PROGRAMME_KEYS)
    fmt = _text(kv.get("format", (0, FORMAT))[1])
    if fmt != FORMAT:
        r.bad(_("Unsupported format: %(v)s") % {"v": fmt}, "programme", kv["format"][0], "value")
    for key in ("code", "name_zh", "name_en"):
        if not _text(kv.get(key, (None, None))[1]):
            r.bad(_("A value is required."), "programme", kv.get(key, (None,))[0], key)
    row, value = kv.get("semesters", (None, None))
    semesters = r.number(value, "programme", row, "semesters", integer=True)
    if semesters == 0:
        r.bad(_("Give at least one semester, counting from 1."), "programme", row, "semesters")
    head = {
        "code": _text(kv.get("code", (0, ""))[1]),
        "version": _text(kv.get("version", (0, ""))[1]) or "1",
        "name": {"zh": _text(kv.get("name_zh", (0, ""))[1]), "en": _text(kv.get("name_en", (0, ""))[1])},
        "source": _text(kv.get("source", (0, ""))[1]),
        "semesters": semesters,
    }
    return head, semesters or None, _text(kv.get("stated_source", (0, ""))[1])


def _read_modules(book, r: _Reader) -> list[dict]:
    kinds = set(ProgrammeModule.Kind.values)
    out, seen = [], set()
    for n, rec in book["modules"]:
        code = r.required_text(rec, "modules", n, "code")
        if code in seen:
            r.bad(_("Duplicate code: %(v)s") % {"v": code}, "modules", n, "code")
        seen.add(code)
        kind = _text(rec.get("kind")) or ProgrammeModule.Kind.OTHER
        if kind not in kinds:
            r.bad(_("Unknown module type: %(v)s") % {"v": kind}, "modules", n, "kind")
        name = {
            "zh": r.required_text(rec, "modules", n, "name_zh"),
            "en": r.required_text(rec, "modules", n, "name_en"),
        }
        out.append({"code": code, "kind": kind, "name": name})
    return out


def _read_semesters(value, n, r: _Reader, limit: int | None) -> list[int]:
    parts = [p for p in SEPARATORS.split(_text(value)) if p.strip()]
    try:
        values = sorted({int(p.strip()) for p in parts})
    except ValueError:
        r.bad(_("Semesters are whole numbers separated by commas."), "courses", n, "semesters")
        return []
    if not values or values[0] < 1 or (limit and values[-1] > limit):
        r.bad(_("Give semesters between 1 and %(n)s, e.g. 1,2.") % {"n": limit or "…"}, "courses", n, "semesters")
    return values


def _read_required(value, n, r: _Reader) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in YES or not text:
        return True
    if text in NO:
        return False
    r.bad(_("Write yes/no or 是/否, not “%(v)s”.") % {"v": value}, "courses", n, "required")
    return True


def _pairs(value, sheet, n, field, allowed, r: _Reader, *, upper: bool) -> dict[str, str]:
    out = {}
    for item in SEPARATORS.split(_text(value)):
        parts = item.replace("：", ":").replace(":", " ").split()
        if not parts:
            continue
        val = parts[1].upper() if upper and len(parts) == 2 else (parts[1].lower() if len(parts) == 2 else "")
        if len(parts) != 2 or val not in allowed:
            r.bad(
                _("“%(item)s”: write CODE:%(allowed)s.") % {"item": item.strip(), "allowed": "/".join(allowed)},
                sheet,
                n,
                field,
            )
            continue
        out[parts[0]] = val
    return out


def _read_courses(book, r: _Reader, modules: set[str], semesters: int | None) -> list[dict]:
    out, seen = [], {}
    for n, rec in book["courses"]:
        code = r.required_text(rec, "courses", n, "code")
        if code in seen:
            r.bad(_("Duplicate code: %(v)s") % {"v": code}, "courses", n, "code")
        seen[code] = n
        module = _text(rec.get("module"))
        if module not in modules:
            r.bad(_("Unknown module: %(v)s") % {"v": module or "—"}, "courses", n, "module")
        mode = _text(rec.get("teaching_mode")) or "school"
        if mode not in TEACHING_MODES:
            r.bad(_("Should be one of: %(v)s") % {"v": ", ".join(TEACHING_MODES)}, "courses", n, "teaching_mode")
        stage = _text(rec.get("stage")) or "theory"
        if stage not in STAGES:
            r.bad(_("Should be one of: %(v)s") % {"v": ", ".join(STAGES)}, "courses", n, "stage")
        out.append(
            {
                "code": code,
                "name": {
                    "zh": r.required_text(rec, "courses", n, "name_zh"),
                    "en": r.required_text(rec, "courses", n, "name_en"),
                },
                "module": module,
                "credits": r.number(rec.get("credits"), "courses", n, "credits"),
                "theory_hours": r.number(rec.get("theory_hours"), "courses", n, "theory_hours", integer=True),
                "practice_hours": r.number(rec.get("practice_hours"), "courses", n, "practice_hours", integer=True),
                "semesters": _read_semesters(rec.get("semesters"), n, r, semesters),
                "required": _read_required(rec.get("required"), n, r),
                "prerequisites": [p.strip() for p in SEPARATORS.split(_text(rec.get("prerequisites"))) if p.strip()],
                "teaching_mode": mode,
                "stage": stage,
                "supports": _pairs(rec.get("supports"), "courses", n, "supports", tuple(STRENGTH_VALUE), r, upper=True),
                "step": _text(rec.get("step")),
                "certificates": [p.strip() for p in SEPARATORS.split(_text(rec.get("certificates"))) if p.strip()],
                "_row": n,
            }
        )
    for course in out:
        for p in course["prerequisites"]:
            if p not in seen:
                r.bad(_("Unknown prerequisite course: %(v)s") % {"v": p}, "courses", course["_row"], "prerequisites")
    for course in out:
        del course["_row"]
    return out


def _read_targets(book, r: _Reader, modules: set[str]) -> dict:
    targets: dict = {}
    for key, (n, value) in _key_values(book, "targets", r).items():
        head, _sep, sub = key.partition(".")
        number = r.number(value, "targets", n, "value")
        if head == "module_min_credits":
            if sub not in modules:
                r.bad(_("Unknown module: %(v)s") % {"v": sub or "—"}, "targets", n, "key")
                continue
        elif head not in TARGET_KEYS or sub not in ("", "min", "max"):
            r.bad(_("Unknown key: %(v)s") % {"v": key}, "targets", n, "key")
            continue
        if sub:
            current = targets.setdefault(head, {})
            if isinstance(current, dict):
                current[sub] = number
                continue
        elif head not in targets:
            targets[head] = number
            continue
        r.bad(_("Give either %(k)s or %(k)s.min/.max, not both.") % {"k": head}, "targets", n, "key")
    return targets


def _read_positions(book, r: _Reader, framework) -> list[dict]:
    rows = book.get("positions", [])
    known = {}
    if framework is not None and rows:
        fake = Programme(framework=framework, target_positions=[_text(rec.get("code")) for _n, rec in rows])
        known = {p["code"]: p for p in _position_entries(fake)}
    out = []
    for n, rec in rows:
        code = r.required_text(rec, "positions", n, "code")
        requirements = _pairs(
            rec.get("requirements"), "positions", n, "requirements", tuple(LEVEL_RANK), r, upper=False
        )
        name = {"zh": _text(rec.get("name_zh")), "en": _text(rec.get("name_en"))}
        if not requirements and code in known:
            out.append(known[code])
            continue
        if not requirements:
            r.bad(
                _("List the competency requirements (this position is not in the chosen framework)."),
                "positions",
                n,
                "requirements",
            )
        for lang in ("zh", "en"):
            if not name[lang]:
                name[lang] = known[code]["name"][lang] if code in known else ""
                if not name[lang]:
                    r.bad(_("A value is required."), "positions", n, f"name_{lang}")
        out.append(
            {
                "code": code,
                "name": name,
                "directions": [d.strip() for d in SEPARATORS.split(_text(rec.get("directions"))) if d.strip()],
                "requirements": [{"competency": c, "level": lv} for c, lv in requirements.items()],
            }
        )
    return out


def _read_stated(book, r: _Reader, source: str) -> dict | None:
    rows, ratios = [], []
    for n, rec in book.get("stated", []):
        module = r.required_text(rec, "stated", n, "module")
        row = {"module": module}
        for f in STATED_FIGURES:
            value = r.number(rec.get(f), "stated", n, f, required=False)
            if value is not None:
                row[f] = value
        ratio = _text(rec.get("theory_practice_ratio"))
        if ratio:
            if not re.fullmatch(r"\d+(\.\d+)?:\d+(\.\d+)?", ratio.replace("：", ":")):
                r.bad(_("Write the ratio like 62:38."), "stated", n, "theory_practice_ratio")
            ratios.append(ratio.replace("：", ":"))
        if len(row) > 1:
            rows.append(row)
    if len(ratios) > 1:
        r.bad(_("Give the theory:practice ratio on one row only."), "stated", None, "theory_practice_ratio")
    if not rows and not ratios:
        return None
    stated = {"source": source, "rows": rows}
    if ratios:
        stated["theory_practice_ratio"] = ratios[0]
    return stated


def xlsx_to_programme_document(data: bytes, *, framework=None) -> dict:
    """Excel -> programme document for `services.programme_import`. Positions given only by code are taken
    from `framework`. Raises CbecError listing every problem with its sheet, Excel row and field."""
    book = read_workbook(data)
    r = _Reader()
    _check_structure(book, r)
    if r.problems:
        raise CbecError(r.problems)
    head, semesters, stated_source = _read_programme(book, r)
    modules = _read_modules(book, r)
    codes = {m["code"] for m in modules}
    doc = {
        "format": FORMAT,
        "programme": head,
        "modules": modules,
        "targets": _read_targets(book, r, codes),
        "positions": _read_positions(book, r, framework),
        "courses": _read_courses(book, r, codes, semesters),
    }
    stated = _read_stated(book, r, stated_source)
    if stated is not None:
        doc["stated"] = stated
    if r.problems:
        raise CbecError(r.problems)
    return doc


# --- PDF -----------------------------------------------------------------------------------------------------


def programme_pdf(programme: Programme) -> bytes:
    """The programme as a PDF in the active language: modules, courses by semester, allocation with the
    stated-vs-computed discrepancies, validation findings, support matrix and target positions."""
    overview = programme_overview(programme)
    courses = [c for c, _cells in overview["support_matrix"]]
    modules = list(programme.modules.order_by("order"))
    counts = {m.code: 0 for m in modules}
    for c in courses:
        counts[c.module.code] = counts.get(c.module.code, 0) + 1
    by_first: dict[int, list] = {}
    for c in courses:
        by_first.setdefault(min(c.semesters) if c.semesters else 0, []).append(c)
    levels = {}
    if programme.framework_id:
        levels = {lv.code: lv.name for lv in programme.framework.levels.all()}
    positions = [
        {
            "code": p.code,
            "name": pick_language(p.name.zh, p.name.en),
            "requirements": [(q.competency, levels.get(q.level, q.level)) for q in p.requirements],
        }
        for p in overview["document"].positions
    ]
    columns = overview["support_columns"]
    context = {
        **overview,
        "programme": programme,
        "modules": [(m, counts.get(m.code, 0)) for m in modules],
        "semester_groups": sorted(by_first.items()),
        "legend": [(n, code, overview["competency_names"].get(code, "")) for n, code in enumerate(columns, 1)],
        "matrix_landscape": len(columns) > 12,
        "positions": positions,
        "lang": get_language(),
    }
    return render_pdf("programmes/programme_pdf.html", context)
