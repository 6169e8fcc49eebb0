"""Framework <-> interchange document <-> YAML / JSON / Excel. Lossless both ways."""

from __future__ import annotations

import json

import yaml
from django.utils.translation import gettext as _

from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.excel import SheetSpec, read_workbook, write_workbook

from .document import FORMAT
from .models import Framework


def _pair(zh, en):
    return {"zh": zh, "en": en}


def framework_to_document(fw: Framework) -> dict:
    """The whole framework as one document in SCHEMA.md's shape (keywords inline)."""
    fw = Framework.objects.prefetch_related(
        "levels",
        "areas__competencies",
        "directions",
        "degree_levels",
        "positions__directions",
        "positions__requirements__links__competency",
        "positions__requirements__links__level",
        "table_cells__direction",
        "table_cells__degree",
        "certificates__courses__direction",
        "certificates__degree",
    ).get(pk=fw.pk)
    doc = {
        "format": FORMAT,
        "framework": {
            "code": fw.code,
            "version": fw.version,
            "name": _pair(fw.name_zh, fw.name_en),
            "description": _pair(fw.descriptor_zh, fw.descriptor_en),
            "sources": fw.sources,
        },
        "levels": [
            {
                "code": lv.code,
                "rank": lv.rank,
                "name": _pair(lv.name_zh, lv.name_en),
                "descriptor": _pair(lv.descriptor_zh, lv.descriptor_en),
            }
            for lv in fw.levels.all()
        ],
        "areas": [],
        "directions": [{"code": d.code, "name": _pair(d.name_zh, d.name_en)} for d in fw.directions.all()],
        "degree_levels": [{"code": d.code, "name": _pair(d.name_zh, d.name_en)} for d in fw.degree_levels.all()],
        "positions": [],
        "table_i": [],
        "certificates": [],
    }
    for area in fw.areas.all():
        doc["areas"].append(
            {
                "code": area.code,
                "name": _pair(area.name_zh, area.name_en),
                "descriptor": _pair(area.descriptor_zh, area.descriptor_en),
                "competencies": [
                    {
                        "code": c.code,
                        "name": _pair(c.name_zh, c.name_en),
                        "descriptor": _pair(c.descriptor_zh, c.descriptor_en),
                        "sources": list(c.sources),
                        "keywords": {"zh": list(c.keywords_zh), "en": list(c.keywords_en)},
                    }
                    for c in sorted(area.competencies.all(), key=lambda c: c.order)
                ],
            }
        )
    for pos in fw.positions.all():
        item = {
            "code": pos.code,
            "name": _pair(pos.name_zh, pos.name_en),
            "source": pos.source,
            "source_title": pos.source_title,
            "merged": list(pos.merged),
            "directions": [d.code for d in sorted(pos.directions.all(), key=lambda d: d.order)],
            "csco": list(pos.csco_codes),
            "esco": list(pos.esco_uris),
            "keywords": {"zh": list(pos.keywords_zh), "en": list(pos.keywords_en)},
            "requirements": [
                {
                    "text": _pair(r.text_zh, r.text_en),
                    "competencies": [
                        {"code": link.competency.code, "level": link.level.code} for link in r.links.all()
                    ],
                }
                for r in pos.requirements.all()
            ],
        }
        item.update(pos.extra or {})
        doc["positions"].append(item)
    for cell in fw.table_cells.all():
        doc["table_i"].append(
            {
                "direction": cell.direction.code,
                "degree": cell.degree.code,
                "text": _pair(cell.text_zh, cell.text_en),
                "positions": list(cell.position_codes),
            }
        )
    for cert in fw.certificates.all():
        groups: dict[str, list] = {}
        for course in cert.courses.all():
            groups.setdefault(course.direction.code, []).append(_pair(course.name_zh, course.name_en))
        doc["certificates"].append(
            {
                "code": cert.code,
                "name": _pair(cert.name_zh, cert.name_en),
                "degree": cert.degree.code if cert.degree else None,
                "courses": [{"direction": d, "names": names} for d, names in groups.items()],
            }
        )
    return doc


def document_to_yaml(doc: dict) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)


def document_to_json(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2)


# --- Excel ---------------------------------------------------------------------------------------------


def _lines(values) -> str:
    return "\n".join(values or [])


def _split(value) -> list[str]:
    if value is None:
        return []
    return [part.strip() for part in str(value).splitlines() if part.strip()]


SHEETS = {
    "framework": ("key", "value"),
    "sources": ("code", "title", "citation", "extra"),
    "levels": ("code", "rank", "name_zh", "name_en", "descriptor_zh", "descriptor_en"),
    "areas": ("code", "name_zh", "name_en", "descriptor_zh", "descriptor_en"),
    "competencies": (
        "area",
        "code",
        "name_zh",
        "name_en",
        "descriptor_zh",
        "descriptor_en",
        "sources",
        "keywords_zh",
        "keywords_en",
    ),
    "directions": ("code", "name_zh", "name_en"),
    "degree_levels": ("code", "name_zh", "name_en"),
    "positions": (
        "code",
        "name_zh",
        "name_en",
        "source",
        "source_title",
        "merged",
        "directions",
        "csco",
        "esco",
        "keywords_zh",
        "keywords_en",
        "extra",
    ),
    "requirements": ("position", "text_zh", "text_en", "competencies"),
    "table_i": ("direction", "degree", "text_zh", "text_en", "positions"),
    "certificates": ("code", "name_zh", "name_en", "degree"),
    "certificate_courses": ("certificate", "direction", "name_zh", "name_en"),
}


def document_to_xlsx(doc: dict) -> bytes:
    fw = doc["framework"]
    kv = [
        ("format", doc.get("format", FORMAT)),
        ("code", fw["code"]),
        ("version", str(fw["version"])),
        ("name_zh", fw["name"]["zh"]),
        ("name_en", fw["name"]["en"]),
        ("description_zh", (fw.get("description") or {}).get("zh", "")),
        ("description_en", (fw.get("description") or {}).get("en", "")),
    ]
    sources = [
        (
            src.get("code", ""),
            src.get("title", ""),
            src.get("citation", ""),
            json.dumps({k: v for k, v in src.items() if k not in ("code", "title", "citation")}, ensure_ascii=False)
            if set(src) - {"code", "title", "citation"}
            else "",
        )
        for src in fw.get("sources") or []
    ]
    levels = [
        (
            lv["code"],
            lv["rank"],
            lv["name"]["zh"],
            lv["name"]["en"],
            (lv.get("descriptor") or {}).get("zh", ""),
            (lv.get("descriptor") or {}).get("en", ""),
        )
        for lv in doc.get("levels") or []
    ]
    areas, comps = [], []
    for a in doc.get("areas") or []:
        d = a.get("descriptor") or {}
        areas.append((a["code"], a["name"]["zh"], a["name"]["en"], d.get("zh", ""), d.get("en", "")))
        for c in a.get("competencies") or []:
            cd, kw = c.get("descriptor") or {}, c.get("keywords") or {}
            comps.append(
                (
                    a["code"],
                    c["code"],
                    c["name"]["zh"],
                    c["name"]["en"],
                    cd.get("zh", ""),
                    cd.get("en", ""),
                    _lines(c.get("sources")),
                    _lines(kw.get("zh")),
                    _lines(kw.get("en")),
                )
            )
    positions, reqs = [], []
    for p in doc.get("positions") or []:
        kw = p.get("keywords") or {}
        extra = {
            k: v
            for k, v in p.items()
            if k
            not in {
                "code",
                "name",
                "source",
                "source_title",
                "merged",
                "directions",
                "csco",
                "esco",
                "keywords",
                "requirements",
            }
        }
        positions.append(
            (
                p["code"],
                p["name"]["zh"],
                p["name"]["en"],
                p.get("source", ""),
                p.get("source_title", ""),
                _lines(p.get("merged")),
                _lines(p.get("directions")),
                _lines(p.get("csco")),
                _lines(p.get("esco")),
                _lines(kw.get("zh")),
                _lines(kw.get("en")),
                json.dumps(extra, ensure_ascii=False) if extra else "",
            )
        )
        for r in p.get("requirements") or []:
            reqs.append(
                (
                    p["code"],
                    r["text"]["zh"],
                    r["text"]["en"],
                    _lines(f"{link['code']}:{link['level']}" for link in r.get("competencies") or []),
                )
            )
    cells = [
        (c["direction"], c["degree"], c["text"]["zh"], c["text"]["en"], _lines(c.get("positions")))
        for c in doc.get("table_i") or []
    ]
    certs, courses = [], []
    for cert in doc.get("certificates") or []:
        certs.append((cert["code"], cert["name"]["zh"], cert["name"]["en"], cert.get("degree") or ""))
        for group in cert.get("courses") or []:
            for name in group.get("names") or []:
                courses.append((cert["code"], group["direction"], name["zh"], name["en"]))
    data = {
        "framework": kv,
        "sources": sources,
        "levels": levels,
        "areas": areas,
        "competencies": comps,
        "directions": [(d["code"], d["name"]["zh"], d["name"]["en"]) for d in doc.get("directions") or []],
        "degree_levels": [(d["code"], d["name"]["zh"], d["name"]["en"]) for d in doc.get("degree_levels") or []],
        "positions": positions,
        "requirements": reqs,
        "table_i": cells,
        "certificates": certs,
        "certificate_courses": courses,
    }
    return write_workbook(
        (SheetSpec(name, headers, widths=[18] + [30] * (len(headers) - 1)), data[name])
        for name, headers in SHEETS.items()
    )


def _json_object(text, sheet, number, problems) -> dict:
    if text is None or not str(text).strip():
        return {}
    try:
        value = json.loads(str(text))
    except ValueError:
        value = None
    if not isinstance(value, dict):
        problems.append(Problem(_("Should be a JSON object."), sheet=sheet, row=number, field="extra"))
        return {}
    return value


def _source_row(number, r, problems) -> dict:
    row = {k: ("" if r.get(k) is None else str(r.get(k)).strip()) for k in ("code", "title", "citation")}
    row.update(_json_object(r.get("extra"), "sources", number, problems))
    return row


def xlsx_to_document(data: bytes) -> dict:
    """Excel -> document; structural problems (missing sheets or columns, unknown parents) name sheet/row/field."""
    book = read_workbook(data)
    problems: list[Problem] = []
    for name, headers in SHEETS.items():
        if name not in book:
            problems.append(Problem(_("Missing sheet: %(name)s") % {"name": name}, sheet=name))
            continue
        present = set(book[name][0][1].keys()) if book[name] else None
        if present is not None:
            for h in headers:
                if h not in present:
                    problems.append(Problem(_("Missing column: %(col)s") % {"col": h}, sheet=name, row=1, field=h))
        for number, record in book[name]:
            if "__extra__" in record:
                problems.append(Problem(_("There are extra columns without a header."), sheet=name, row=number))
    if problems:
        raise CbecError(problems)

    def s(value):
        return "" if value is None else str(value).strip() if not isinstance(value, str) else value.strip()

    def mark(number, sheet):
        return {"_row": number, "_sheet": sheet}

    kv = {s(r.get("key")): r.get("value") for _, r in book["framework"]}
    doc = {
        "format": s(kv.get("format")) or FORMAT,
        "framework": {
            "code": s(kv.get("code")),
            "version": s(kv.get("version")),
            "name": {"zh": s(kv.get("name_zh")), "en": s(kv.get("name_en"))},
            "description": {"zh": s(kv.get("description_zh")), "en": s(kv.get("description_en"))},
            "sources": [_source_row(n, r, problems) for n, r in book["sources"]],
            "_row": 2,
            "_sheet": "framework",
        },
    }
    levels = []
    for n, r in book["levels"]:
        rank = r.get("rank")
        if isinstance(rank, float) and rank.is_integer():
            rank = int(rank)
        elif isinstance(rank, str) and rank.strip().isdigit():
            rank = int(rank.strip())
        levels.append(
            {
                "code": s(r.get("code")),
                "rank": rank,
                "name": {"zh": s(r.get("name_zh")), "en": s(r.get("name_en"))},
                "descriptor": {"zh": s(r.get("descriptor_zh")), "en": s(r.get("descriptor_en"))},
                **mark(n, "levels"),
            }
        )
    doc["levels"] = levels
    areas = {}
    doc["areas"] = []
    for n, r in book["areas"]:
        area = {
            "code": s(r.get("code")),
            "name": {"zh": s(r.get("name_zh")), "en": s(r.get("name_en"))},
            "descriptor": {"zh": s(r.get("descriptor_zh")), "en": s(r.get("descriptor_en"))},
            "competencies": [],
            **mark(n, "areas"),
        }
        areas.setdefault(area["code"], area)
        doc["areas"].append(area)
    for n, r in book["competencies"]:
        comp = {
            "code": s(r.get("code")),
            "name": {"zh": s(r.get("name_zh")), "en": s(r.get("name_en"))},
            "descriptor": {"zh": s(r.get("descriptor_zh")), "en": s(r.get("descriptor_en"))},
            "sources": _split(r.get("sources")),
            "keywords": {"zh": _split(r.get("keywords_zh")), "en": _split(r.get("keywords_en"))},
            **mark(n, "competencies"),
        }
        area = areas.get(s(r.get("area")))
        if area is None:
            problems.append(
                Problem(
                    _("Unknown competency area code: %(v)s") % {"v": r.get("area")},
                    sheet="competencies",
                    row=n,
                    field="area",
                )
            )
            continue
        area["competencies"].append(comp)
    doc["directions"] = [
        {
            "code": s(r.get("code")),
            "name": {"zh": s(r.get("name_zh")), "en": s(r.get("name_en"))},
            **mark(n, "directions"),
        }
        for n, r in book["directions"]
    ]
    doc["degree_levels"] = [
        {
            "code": s(r.get("code")),
            "name": {"zh": s(r.get("name_zh")), "en": s(r.get("name_en"))},
            **mark(n, "degree_levels"),
        }
        for n, r in book["degree_levels"]
    ]
    positions = {}
    doc["positions"] = []
    for n, r in book["positions"]:
        pos = {
            "code": s(r.get("code")),
            "name": {"zh": s(r.get("name_zh")), "en": s(r.get("name_en"))},
            "source": s(r.get("source")),
            "source_title": s(r.get("source_title")),
            "merged": _split(r.get("merged")),
            "directions": _split(r.get("directions")),
            "csco": _split(r.get("csco")),
            "esco": _split(r.get("esco")),
            "keywords": {"zh": _split(r.get("keywords_zh")), "en": _split(r.get("keywords_en"))},
            "requirements": [],
            **mark(n, "positions"),
        }
        if s(r.get("extra")):
            try:
                extra = json.loads(s(r.get("extra")))
                if not isinstance(extra, dict):
                    raise ValueError
                pos.update(extra)
            except ValueError:
                problems.append(Problem(_("Should be a JSON object."), sheet="positions", row=n, field="extra"))
        positions.setdefault(pos["code"], pos)
        doc["positions"].append(pos)
    for n, r in book["requirements"]:
        pos = positions.get(s(r.get("position")))
        if pos is None:
            problems.append(
                Problem(
                    _("Unknown position code: %(v)s") % {"v": r.get("position")},
                    sheet="requirements",
                    row=n,
                    field="position",
                )
            )
            continue
        links = []
        for part in _split(r.get("competencies")):
            code, _sep, level = part.partition(":")
            links.append({"code": code.strip(), "level": level.strip()})
        pos["requirements"].append(
            {
                "text": {"zh": s(r.get("text_zh")), "en": s(r.get("text_en"))},
                "competencies": links,
                **mark(n, "requirements"),
            }
        )
    doc["table_i"] = [
        {
            "direction": s(r.get("direction")),
            "degree": s(r.get("degree")),
            "text": {"zh": s(r.get("text_zh")), "en": s(r.get("text_en"))},
            "positions": _split(r.get("positions")),
            **mark(n, "table_i"),
        }
        for n, r in book["table_i"]
    ]
    certs = {}
    doc["certificates"] = []
    for n, r in book["certificates"]:
        cert = {
            "code": s(r.get("code")),
            "name": {"zh": s(r.get("name_zh")), "en": s(r.get("name_en"))},
            "degree": s(r.get("degree")) or None,
            "courses": [],
            **mark(n, "certificates"),
        }
        certs.setdefault(cert["code"], cert)
        doc["certificates"].append(cert)
    for n, r in book["certificate_courses"]:
        cert = certs.get(s(r.get("certificate")))
        if cert is None:
            problems.append(
                Problem(
                    _("Unknown certificate code: %(v)s") % {"v": r.get("certificate")},
                    sheet="certificate_courses",
                    row=n,
                    field="certificate",
                )
            )
            continue
        direction = s(r.get("direction"))
        if not cert["courses"] or cert["courses"][-1]["direction"] != direction:
            cert["courses"].append({"direction": direction, "names": [], **mark(n, "certificate_courses")})
        cert["courses"][-1]["names"].append(
            {"zh": s(r.get("name_zh")), "en": s(r.get("name_en")), **mark(n, "certificate_courses")}
        )
    if problems:
        raise CbecError(problems)
    return doc
