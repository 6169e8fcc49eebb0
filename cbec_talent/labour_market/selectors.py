"""Reads: imports, the demand dashboard figures and the gap report.

The figures are sums over the pre-aggregated DemandCount rows the import writes (a few thousand rows whatever
the number of postings); ``demand_counts_direct`` recounts them from the stored postings themselves with one
GROUP BY per kind, to check the pre-aggregation (tests, benchmark)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from cbec_talent.cohorts.models import Cohort
from cbec_talent.cohorts.selectors import attainment_setting, cohort_figures, programme_rows
from cbec_talent.competencies import esco_linking
from cbec_talent.competencies.models import Competency, Occupation, Position
from cbec_talent.core.models import pick_language
from cbec_talent.engines.curriculum import Position as CurriculumPosition
from cbec_talent.engines.curriculum import RequiredCompetency, Text, coverage, weights_from_demand
from cbec_talent.programmes.models import Course, Programme
from cbec_talent.programmes.services import programme_document

from .models import TAG_KINDS, DemandCount, Posting, PostingImport

#: Paper 000's survey: the three skills enterprises value most, in order, as competency codes.
SURVEY_TOP = (
    ("LANG.EN", "Language communication skills", "语言沟通能力"),
    ("DATA.ANALYSIS", "Data processing and analysis", "数据处理与分析"),
    ("OPS.PLATFORM", "E-commerce operation", "电子商务运营"),
)
KINDS = ("competency", "position", "occupation", "platform", "language", "city", "month", "esco")
ESCO_SKILL = "http://data.europa.eu/esco/skill/"
#: Strength units (H=3, M=2, L=1) at which a competency counts as fully covered in the gap score.
SATURATION = 6


def import_list():
    return PostingImport.objects.select_related("framework", "created_by").order_by("-created_at")


def finished_imports():
    return PostingImport.objects.filter(status=PostingImport.Status.DONE).order_by("-created_at")


def _scope(import_id: int | None):
    q = Q(posting_import__status=PostingImport.Status.DONE)
    if import_id:
        q &= Q(posting_import_id=import_id)
    return q


def _names() -> dict[str, dict[str, str]]:
    comps = {}
    for c in Competency.objects.filter(framework__is_reference=True).only("code", "name_zh", "name_en"):
        comps[c.code] = c.name
    positions = {
        p.code: p.name for p in Position.objects.filter(framework__is_reference=True).only("code", "name_zh", "name_en")
    }
    return {"competency": comps, "position": positions}


def _occupation_names(codes) -> dict[str, str]:
    return dict(Occupation.objects.filter(taxonomy="csco2022", code__in=list(codes)).values_list("code", "name"))


def demand_counts(import_id: int | None = None) -> tuple[int, dict[str, dict[str, int]]]:
    """(postings, {kind: {code: postings}}) over finished imports (or one import), from DemandCount."""
    scope = PostingImport.objects.filter(status=PostingImport.Status.DONE)
    if import_id:
        scope = scope.filter(pk=import_id)
    total = scope.aggregate(n=Sum("rows_stored"))["n"] or 0
    counts: dict[str, dict[str, int]] = {k: {} for k in KINDS}
    rows = (
        DemandCount.objects.filter(_scope(import_id))
        .values_list("kind", "code")
        .annotate(n=Sum("postings"))
        .order_by("kind", "-n", "code")
    )
    for kind, code, n in rows:
        counts[kind][code] = n
    return total, counts


def demand_counts_direct(import_id: int | None = None) -> tuple[int, dict[str, dict[str, int]]]:
    """The same figures as demand_counts, counted from the stored posting rows (one GROUP BY per kind over
    every posting; slow on large data: for checks, not for pages). SQLite and PostgreSQL."""
    postings = Posting.objects.filter(_scope(import_id))
    total = postings.count()
    counts: dict[str, dict[str, int]] = {k: {} for k in KINDS}
    for kind in ("city", "month"):
        for code, n in postings.exclude(**{kind: ""}).values_list(kind).annotate(n=Count("id")).order_by():
            counts[kind][code] = n
    scope = "p.posting_import_id = %s" if import_id else "1 = 1"
    table, imports = Posting._meta.db_table, PostingImport._meta.db_table
    for kind in TAG_KINDS:
        if connection.vendor == "postgresql":
            each, key = "jsonb_each(p.tags -> %s) AS j", "j.key"
        else:
            each, key = "json_each(p.tags, '$.' || %s) AS j", "j.key"
        sql = (
            f"SELECT {key}, COUNT(*) FROM {table} p JOIN {imports} i ON i.id = p.posting_import_id, {each} "
            f"WHERE i.status = %s AND {scope} GROUP BY {key}"
        )
        params = [kind, PostingImport.Status.DONE] + ([import_id] if import_id else [])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            counts[kind] = dict(cursor.fetchall())
    return total, counts


def demand_dashboard(import_id: int | None = None, top: int = 15) -> dict:
    """Everything the dashboard shows: counts per dimension with names, the top-skill ranking beside paper
    000's survey, and the monthly trend (postings and the five most asked competencies)."""
    total, counts = demand_counts(import_id)
    names = _names()
    names["occupation"] = _occupation_names(counts["occupation"])
    names["esco"] = esco_linking.skill_labels(counts["esco"]) if counts["esco"] else {}
    tables = {}
    for kind in KINDS:
        items = sorted(counts[kind].items(), key=lambda kv: (kv[0],) if kind == "month" else (-kv[1], kv[0]))
        tables[kind] = [
            {
                "code": code,
                "name": names.get(kind, {}).get(code, ""),
                "postings": n,
                "share": round(100 * n / total, 1) if total else 0.0,
            }
            for code, n in items
        ]
    ranking = [{"rank": i, **row} for i, row in enumerate(tables["competency"][:top], start=1)]
    # ESCO skills linked in the postings (the import's fast lexical linking), ranked the same way
    esco_ranking = [
        {"rank": i, "uri": ESCO_SKILL + row["code"], **row} for i, row in enumerate(tables["esco"][:top], start=1)
    ]
    rank_of = {r["code"]: i for i, r in enumerate(tables["competency"], start=1)}
    survey = [
        {
            "survey_rank": i,
            "code": code,
            "label": pick_language(zh, en),
            "our_rank": rank_of.get(code),
            "postings": counts["competency"].get(code, 0),
        }
        for i, (code, en, zh) in enumerate(SURVEY_TOP, start=1)
    ]
    months = [r["code"] for r in tables["month"]]
    top5 = [r["code"] for r in tables["competency"][:5]]
    series = {c: [0] * len(months) for c in top5}
    mi = {m: i for i, m in enumerate(months)}
    if top5 and months:
        rows = (
            DemandCount.objects.filter(_scope(import_id), kind="competency", code__in=top5)
            .exclude(month="")
            .values_list("code", "month")
            .annotate(n=Sum("postings"))
            .order_by()
        )
        for code, month, n in rows:
            if month in mi:
                series[code][mi[month]] = n
    chart = {
        kind: {
            "labels": [f"{r['code']} {r['name']}".strip() for r in tables[kind][:top]][::-1],
            "values": [r["postings"] for r in tables[kind][:top]][::-1],
        }
        for kind in KINDS
        if kind != "month"
    }
    chart["trend"] = {
        "months": months,
        "postings": [r["postings"] for r in tables["month"]],
        "series": [{"name": c, "data": series[c]} for c in top5],
    }
    return {
        "postings": total,
        "tables": tables,
        "ranking": ranking,
        "esco_ranking": esco_ranking,
        "survey": survey,
        "chart": chart,
    }


def cohort_options(programme: Programme):
    return Cohort.objects.filter(programme=programme).order_by("-intake_year", "name")


def cohort_attainment(cohort: Cohort) -> dict:
    """The cohort's programme-level attainment per competency (%) and its target (%), from cohorts' selectors."""
    rows = programme_rows(cohort_figures(cohort))
    return {
        "values": {r["code"]: r["value"] for r in rows},
        "target": float(attainment_setting(cohort.programme).target_percent),
    }


def gap_report(programme: Programme, import_id: int | None = None, cohort: Cohort | None = None) -> dict:
    """Demand share of each competency against the programme's coverage (strength units of the courses
    supporting it); ranked by gap = share x (1 - min(1, strength / SATURATION)), largest first.

    With a cohort of the programme, each row also carries the cohort's programme-level attainment (%, None when
    not assessed) from the cohorts app's roll-up, so demand, coverage and actual attainment sit side by side;
    the ranking does not change.
    """
    total, counts = demand_counts(import_id)
    demand = counts["competency"]
    doc = programme_document(programme)
    codes = sorted(set(demand) | {s.competency for c in doc.courses for s in c.supports})
    probe = CurriculumPosition(
        code="DEMAND",
        name=Text("市场需求", "Demand"),
        directions=(),
        requirements=tuple(RequiredCompetency(c, "apply") for c in codes),
    )
    entries = {e.competency: e for e in coverage(doc, (probe,)).entries}
    courses = {c.code: c for c in Course.objects.filter(programme=programme).select_related("module")}
    names = {c.code: c.name for c in Competency.objects.filter(framework_id=programme.framework_id or 0)} or _names()[
        "competency"
    ]
    rows = []
    for code in codes:
        e = entries.get(code)
        strength = e.strength if e else 0
        share = demand.get(code, 0) / total if total else 0.0
        gap = share * (1 - min(1.0, strength / SATURATION))
        touching = [courses[c] for c in (e.courses if e else ()) if c in courses]
        rows.append(
            {
                "code": code,
                "name": names.get(code, ""),
                "postings": demand.get(code, 0),
                "share": round(100 * share, 1),
                "strength": strength,
                "status": e.status if e else "uncovered",
                "gap": round(100 * gap, 1),
                "courses": [f"{c.code} {c.name}" for c in touching],
                "modules": sorted({c.module.name for c in touching}),
            }
        )
    rows.sort(key=lambda r: (-r["gap"], -r["postings"], r["code"]))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    attainment = cohort_attainment(cohort) if cohort is not None else None
    if attainment is not None:
        for r in rows:
            r["attainment"] = attainment["values"].get(r["code"])
    weights = {k: round(v, 4) for k, v in weights_from_demand(demand).items()}
    return {
        "postings": total,
        "rows": rows,
        "cohort": cohort,
        "attainment_target": attainment["target"] if attainment else None,
        "weights": dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))),
        "saturation": SATURATION,
        "chart": {
            "labels": [r["code"] for r in rows[:20]],
            "share": [r["share"] for r in rows[:20]],
            "strength": [r["strength"] for r in rows[:20]],
        },
    }


def latest_alerts(limit: int = 3):
    from .models import DemandShiftAlert

    return DemandShiftAlert.objects.select_related("posting_import", "previous").order_by("-created_at", "-id")[:limit]


def alert_rows(alert, programme: Programme | None = None) -> tuple[list[dict], Programme | None]:
    """Each shift of an alert with its names and, for competencies, the programme's coverage of it (the gap
    report of the new import: strength units, status and the courses that support it)."""
    from .models import Kind

    programme = programme or Programme.objects.order_by("code", "version").first()
    names = _names()
    coverage = {}
    if programme is not None and any(s["kind"] == "competency" for s in alert.shifts):
        coverage = {r["code"]: r for r in gap_report(programme, alert.posting_import_id)["rows"]}
    labels = dict(Kind.choices)
    rows = []
    for s in alert.shifts:
        values = {
            "before": f"{s['share_before']:.1f}%",
            "now": f"{s['share_now']:.1f}%",
            "change": f"{s['change']:+.1f}",
            "q": f"{s['q']:.2g}",
        }
        row = {
            **s,
            "kind_label": str(labels.get(s["kind"], s["kind"])),
            "name": names.get(s["kind"], {}).get(s["code"], ""),
            "text": _("share of postings %(before)s -> %(now)s (%(change)s percentage points, q = %(q)s)") % values,
            "coverage": "",
        }
        c = coverage.get(s["code"]) if s["kind"] == "competency" else None
        if c is not None:
            row["coverage_status"] = c["status"]
            row["coverage_strength"] = c["strength"]
            row["coverage"] = (
                _("%(programme)s: %(status)s, strength %(strength)s, courses: %(courses)s")
                % {
                    "programme": programme.code,
                    "status": {"covered": _("covered"), "weak": _("weakly covered"), "uncovered": _("not covered")}.get(
                        c["status"], c["status"]
                    ),
                    "strength": c["strength"],
                    "courses": ", ".join(c["courses"][:4]) or "—",
                }
                if c["courses"]
                else _("%(programme)s: no course covers it") % {"programme": programme.code}
            )
        rows.append(row)
    return rows, programme


def _major(code: str) -> str:
    return f"{code[:1]}-00-00-00"


def _sub_major(code: str) -> str:
    return f"{code[:4]}-00-00"


def occupation_hierarchy(import_id: int | None = None) -> dict:
    """Postings by coded occupation (each posting once, under its best CSCO 2022 code) in the classification's
    hierarchy: major groups (大类) with their detailed occupations, each with its sub-major group (中类)."""
    from cbec_talent.engines.demand.occupation import default_coder

    total, counts = demand_counts(import_id)
    coder = default_coder()
    groups: dict[str, dict] = {}
    for code, n in counts["occupation"].items():
        major = _major(code)
        group = groups.setdefault(major, {"code": major, "name": coder.name(major), "postings": 0, "rows": []})
        group["postings"] += n
        group["rows"].append(
            {
                "code": code,
                "name": coder.name(code),
                "group": coder.name(_sub_major(code)),
                "postings": n,
                "share": round(100 * n / total, 1) if total else 0.0,
            }
        )
    majors = sorted(groups.values(), key=lambda g: (-g["postings"], g["code"]))
    for g in majors:
        g["share"] = round(100 * g["postings"] / total, 1) if total else 0.0
        g["rows"].sort(key=lambda r: (-r["postings"], r["code"]))
    return {"postings": total, "coded": sum(g["postings"] for g in majors), "majors": majors}


def occupation_postings(code: str, import_id: int | None = None, limit: int = 200) -> dict:
    """The postings coded with one occupation (finished imports, or one), with the coder's evidence."""
    from cbec_talent.engines.demand.occupation import default_coder

    qs = (
        Posting.objects.filter(_scope(import_id), tags__occupation__has_key=code)
        .select_related("posting_import")
        .order_by("posting_import_id", "row")
    )
    coder = default_coder()
    rows = [
        {
            "pk": p.pk,
            "title": p.title,
            "company": p.company,
            "city": p.city,
            "import": p.posting_import.file_name,
            "row": p.row,
            "evidence": [e for e in str((p.tags.get("occupation") or {}).get(code, "")).split("; ") if e],
        }
        for p in qs[:limit]
    ]
    return {
        "code": code,
        "name": coder.name(code),
        "major": {"code": _major(code), "name": coder.name(_major(code))},
        "count": qs.count(),
        "rows": rows,
        "known": code in coder.by_code,
    }
