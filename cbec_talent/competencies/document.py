"""The framework interchange document (see reference/framework/SCHEMA.md) and its validation.

YAML, JSON and Excel all become this one dictionary shape before anything touches the database, so every
format gets the same checks and the same row-and-field messages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from cbec_talent.core.errors import CbecError, Problem

FORMAT = "cbec-framework/1"
REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference" / "framework"
REFERENCE_FILE = REFERENCE_DIR / "cbec_reference.yaml"
KEYWORDS_FILE = REFERENCE_DIR / "keywords.yaml"
CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,39}$")
MAX_TEXT = 5000
POSITION_KEYS = {
    "code",
    "name",
    "source",
    "source_title",
    "merged",
    "directions",
    "csco",
    "esco",
    "requirements",
    "keywords",
}


def load_reference_document() -> dict:
    """The shipped reference framework, with its keywords merged into competencies and positions."""
    doc = yaml.safe_load(REFERENCE_FILE.read_text(encoding="utf-8"))
    if KEYWORDS_FILE.exists():
        merge_keywords(doc, yaml.safe_load(KEYWORDS_FILE.read_text(encoding="utf-8")) or {})
    return doc


def merge_keywords(doc: dict, keywords: dict) -> None:
    comp_kw = keywords.get("competencies") or {}
    pos_kw = keywords.get("positions") or {}
    for area in doc.get("areas") or []:
        for comp in area.get("competencies") or []:
            if comp.get("code") in comp_kw and not comp.get("keywords"):
                comp["keywords"] = comp_kw[comp["code"]]
    for pos in doc.get("positions") or []:
        if pos.get("code") in pos_kw and not pos.get("keywords"):
            pos["keywords"] = pos_kw[pos["code"]]


def parse_text_document(text: str, filename: str = "") -> dict:
    """YAML or JSON text -> document; syntax errors name the line."""
    try:
        if filename.lower().endswith(".json"):
            doc = json.loads(text)
        else:
            doc = yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise CbecError([Problem(_("JSON syntax error: %(msg)s") % {"msg": exc.msg}, row=exc.lineno)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise CbecError(
            [Problem(_("YAML syntax error: %(msg)s") % {"msg": getattr(exc, "problem", exc)}, row=row)]
        ) from None
    if not isinstance(doc, dict):
        raise CbecError([Problem(_("The file does not contain a competency framework document."))])
    return doc


class _Checker:
    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, item, section, index, field, message):
        row = item.get("_row", index + 1) if isinstance(item, dict) else index + 1
        sheet = item.get("_sheet", section) if isinstance(item, dict) else section
        self.problems.append(Problem(message, row=row, field=field, sheet=sheet))

    def code(self, item, section, index, field="code"):
        value = item.get(field) if isinstance(item, dict) else None
        if not isinstance(value, str) or not CODE_RE.match(value):
            self.add(
                item,
                section,
                index,
                field,
                _(
                    "Code missing or malformed (it must start with a letter and may contain letters, digits, "
                    "dots and hyphens, at most 40 characters): %(v)r"
                )
                % {"v": value},
            )
            return None
        return value

    def text(self, item, section, index, key, required=True):
        pair = item.get(key) if isinstance(item, dict) else None
        if pair is None and not required:
            return
        if not isinstance(pair, dict):
            self.add(item, section, index, key, _("Both a Chinese and an English text are required (zh / en)."))
            return
        for lang in ("zh", "en"):
            value = pair.get(lang)
            field = f"{key}_{lang}"
            if not isinstance(value, str) or not value.strip():
                if required:
                    self.add(item, section, index, field, _("Must not be empty."))
            elif len(value) > MAX_TEXT:
                self.add(
                    item,
                    section,
                    index,
                    field,
                    _("The text is too long (more than %(n)d characters).") % {"n": MAX_TEXT},
                )

    def str_list(self, item, section, index, key):
        value = item.get(key, []) if isinstance(item, dict) else []
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(item, section, index, key, _("Should be a list of texts."))
            return []
        return value

    def unique(self, seen, value, item, section, index, field="code"):
        if value is None:
            return
        if value in seen:
            self.add(item, section, index, field, _("Duplicate code: %(v)s") % {"v": value})
        seen.add(value)


def _items(doc, key, checker, section=None):
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        checker.problems.append(Problem(_("Should be a list."), sheet=section or key))
        return []
    return value


def validate_document(doc: dict) -> list[Problem]:
    """Every problem in the document, each naming section (sheet), row and field. Empty list: valid."""
    c = _Checker()
    if not isinstance(doc, dict):
        return [Problem(_("The file does not contain a competency framework document."))]
    if doc.get("format", FORMAT) != FORMAT:
        c.problems.append(Problem(_("Unsupported format: %(f)s") % {"f": doc.get("format")}, field="format"))
    fw = doc.get("framework")
    if not isinstance(fw, dict):
        c.problems.append(Problem(_("The framework information (framework) is missing."), sheet="framework"))
        fw = {}
    else:
        c.code(fw, "framework", 0)
        if not isinstance(fw.get("version"), str | int | float) or not str(fw.get("version")).strip():
            c.add(fw, "framework", 0, "version", _("Must not be empty."))
        c.text(fw, "framework", 0, "name")
        c.text(fw, "framework", 0, "description", required=False)

    level_codes: set[str] = set()
    ranks: set[int] = set()
    levels = _items(doc, "levels", c)
    if not levels:
        c.problems.append(Problem(_("At least one proficiency level is required."), sheet="levels"))
    for i, level in enumerate(levels):
        code = c.code(level, "levels", i)
        c.unique(level_codes, code, level, "levels", i)
        c.text(level, "levels", i, "name")
        rank = level.get("rank") if isinstance(level, dict) else None
        if not isinstance(rank, int) or isinstance(rank, bool) or rank < 1:
            c.add(level, "levels", i, "rank", _("The rank should be a positive integer."))
        elif rank in ranks:
            c.add(level, "levels", i, "rank", _("Duplicate rank: %(v)s") % {"v": rank})
        else:
            ranks.add(rank)

    area_codes: set[str] = set()
    comp_codes: set[str] = set()
    comp_index = 0
    for i, area in enumerate(_items(doc, "areas", c)):
        code = c.code(area, "areas", i)
        c.unique(area_codes, code, area, "areas", i)
        c.text(area, "areas", i, "name")
        c.text(area, "areas", i, "descriptor", required=False)
        for comp in area.get("competencies") or [] if isinstance(area, dict) else []:
            ccode = c.code(comp, "competencies", comp_index)
            if ccode in area_codes:
                c.add(
                    comp,
                    "competencies",
                    comp_index,
                    "code",
                    _("Code already used by a competency area: %(v)s") % {"v": ccode},
                )
            c.unique(comp_codes, ccode, comp, "competencies", comp_index)
            c.text(comp, "competencies", comp_index, "name")
            c.text(comp, "competencies", comp_index, "descriptor", required=False)
            c.str_list(comp, "competencies", comp_index, "sources")
            _check_keywords(c, comp, "competencies", comp_index)
            comp_index += 1
    if not comp_codes:
        c.problems.append(Problem(_("At least one competency is required."), sheet="competencies"))

    dir_codes: set[str] = set()
    for i, d in enumerate(_items(doc, "directions", c)):
        c.unique(dir_codes, c.code(d, "directions", i), d, "directions", i)
        c.text(d, "directions", i, "name")
    degree_codes: set[str] = set()
    for i, d in enumerate(_items(doc, "degree_levels", c)):
        c.unique(degree_codes, c.code(d, "degree_levels", i), d, "degree_levels", i)
        c.text(d, "degree_levels", i, "name")

    pos_codes: set[str] = set()
    req_index = 0
    for i, pos in enumerate(_items(doc, "positions", c)):
        code = c.code(pos, "positions", i)
        c.unique(pos_codes, code, pos, "positions", i)
        c.text(pos, "positions", i, "name")
        for d in c.str_list(pos, "positions", i, "directions"):
            if d not in dir_codes:
                c.add(pos, "positions", i, "directions", _("Unknown career direction code: %(v)s") % {"v": d})
        for key in ("merged", "csco", "esco"):
            c.str_list(pos, "positions", i, key)
        _check_keywords(c, pos, "positions", i)
        for req in pos.get("requirements") or [] if isinstance(pos, dict) else []:
            c.text(req, "requirements", req_index, "text")
            links = req.get("competencies") if isinstance(req, dict) else None
            if not isinstance(links, list) or not links:
                c.add(
                    req,
                    "requirements",
                    req_index,
                    "competencies",
                    _("Each competency requirement must be linked to at least one competency."),
                )
                links = []
            seen_links: set[str] = set()
            for link in links:
                lcode = link.get("code") if isinstance(link, dict) else None
                level = link.get("level") if isinstance(link, dict) else None
                if lcode not in comp_codes:
                    c.add(
                        req,
                        "requirements",
                        req_index,
                        "competencies",
                        _("Unknown competency code: %(v)s") % {"v": lcode},
                    )
                elif lcode in seen_links:
                    c.add(
                        req, "requirements", req_index, "competencies", _("Duplicate competency: %(v)s") % {"v": lcode}
                    )
                seen_links.add(lcode)
                if level not in level_codes:
                    c.add(
                        req,
                        "requirements",
                        req_index,
                        "competencies",
                        _("Unknown proficiency level: %(v)s") % {"v": level},
                    )
            req_index += 1

    for i, cell in enumerate(_items(doc, "table_i", c)):
        if cell.get("direction") not in dir_codes:
            c.add(
                cell,
                "table_i",
                i,
                "direction",
                _("Unknown career direction code: %(v)s") % {"v": cell.get("direction")},
            )
        if cell.get("degree") not in degree_codes:
            c.add(cell, "table_i", i, "degree", _("Unknown education level code: %(v)s") % {"v": cell.get("degree")})
        c.text(cell, "table_i", i, "text")
        for p in c.str_list(cell, "table_i", i, "positions"):
            if p not in pos_codes:
                c.add(cell, "table_i", i, "positions", _("Unknown position code: %(v)s") % {"v": p})

    cert_codes: set[str] = set()
    course_index = 0
    for i, cert in enumerate(_items(doc, "certificates", c)):
        c.unique(cert_codes, c.code(cert, "certificates", i), cert, "certificates", i)
        c.text(cert, "certificates", i, "name")
        if cert.get("degree") is not None and cert.get("degree") not in degree_codes:
            c.add(
                cert, "certificates", i, "degree", _("Unknown education level code: %(v)s") % {"v": cert.get("degree")}
            )
        for group in cert.get("courses") or [] if isinstance(cert, dict) else []:
            if group.get("direction") not in dir_codes:
                c.add(
                    group,
                    "certificate_courses",
                    course_index,
                    "direction",
                    _("Unknown career direction code: %(v)s") % {"v": group.get("direction")},
                )
            for name in group.get("names") or []:
                holder = {"name": name}
                if isinstance(name, dict):
                    holder.update({k: name[k] for k in ("_row", "_sheet") if k in name})
                c.text(holder, "certificate_courses", course_index, "name")
                course_index += 1
    return c.problems


def _check_keywords(c: _Checker, item, section, index):
    kw = item.get("keywords") if isinstance(item, dict) else None
    if kw is None:
        return
    if not isinstance(kw, dict):
        c.add(item, section, index, "keywords", _("Keywords should be grouped by language (zh / en)."))
        return
    for lang in ("zh", "en"):
        words = kw.get(lang, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            c.add(item, section, index, f"keywords_{lang}", _("Keywords should be a list of non-empty texts."))


def strip_markers(value):
    """Remove the _row/_sheet bookkeeping that readers attach, recursively."""
    if isinstance(value, dict):
        return {k: strip_markers(v) for k, v in value.items() if k not in ("_row", "_sheet")}
    if isinstance(value, list):
        return [strip_markers(v) for v in value]
    return value
