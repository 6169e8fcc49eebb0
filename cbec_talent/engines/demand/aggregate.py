"""Demand figures over tag results: counts by competency, position, occupation, platform, language, city
and month; month-by-code trends with least-squares slopes; the top-skill ranking; and exact merging of the
figures of separate chunks (FiguresPart carries the salary midpoints, since medians do not add up)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import median

import numpy as np

from cbec_talent.engines.demand.data import DemandFigures, FiguresPart, SkillRank, TagResult, Trend


def _sorted(counter: Counter) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def demand_figures(results: Sequence[TagResult]) -> DemandFigures:
    """Count postings per code (each posting counted once per code), and median monthly salary (CNY) per
    position ("(none)" for postings without one) among postings that state a CNY salary (midpoint of the
    range, or the lower bound of "from" offers)."""
    comp, pos, occ, plat, lang, city, month, edu = (Counter() for _ in range(8))
    with_salary = 0
    for r in results:
        comp.update(h.code for h in r.competencies)
        plat.update(h.code for h in r.platforms)
        lang.update(h.code for h in r.languages)
        if r.position:
            pos[r.position] += 1
        occ.update(r.csco[:1])  # the coded occupation: the best-ranked code
        if r.city:
            city[r.city] += 1
        if r.month:
            month[r.month] += 1
        if r.education:
            edu[r.education] += 1
        if r.salary is not None:
            with_salary += 1
    pay = salary_midpoints(results)
    return DemandFigures(
        postings=len(results),
        by_competency=_sorted(comp),
        by_position=_sorted(pos),
        by_occupation=_sorted(occ),
        by_platform=_sorted(plat),
        by_language=_sorted(lang),
        by_city=_sorted(city),
        by_month=dict(sorted(month.items())),
        by_education=_sorted(edu),
        with_position=sum(pos.values()),
        with_salary=with_salary,
        salary_monthly_median={k: float(median(v)) for k, v in sorted(pay.items())},
    )


def salary_midpoints(results: Sequence[TagResult]) -> dict[str, list[float]]:
    """Position ("(none)" without one) -> monthly CNY salary midpoints of the postings that state one, in order."""
    pay: dict[str, list[float]] = {}
    for r in results:
        if r.salary is not None and r.salary.currency == "CNY":
            low, high = r.salary.monthly()
            pay.setdefault(r.position or "(none)", []).append(low if high is None else (low + high) / 2)
    return pay


def figures_part(results: Sequence[TagResult]) -> FiguresPart:
    """demand_figures of one chunk, with what merge_parts needs to merge it exactly with others."""
    pay = salary_midpoints(results)
    return FiguresPart(figures=demand_figures(results), salary_midpoints={k: tuple(v) for k, v in sorted(pay.items())})


_COUNTS = ("by_competency", "by_position", "by_occupation", "by_platform", "by_language", "by_city", "by_education")


def merge_parts(parts: Sequence[FiguresPart]) -> FiguresPart:
    """One part for several: counts added, salary midpoints pooled; the same figures demand_figures gives for
    all their results at once (whatever the chunking)."""
    merged = {name: Counter() for name in (*_COUNTS, "by_month")}
    pay: dict[str, list[float]] = {}
    postings = with_position = with_salary = 0
    for part in parts:
        f = part.figures
        postings += f.postings
        with_position += f.with_position
        with_salary += f.with_salary
        for name in merged:
            merged[name].update(getattr(f, name))
        for position, values in part.salary_midpoints.items():
            pay.setdefault(position, []).extend(values)
    figures = DemandFigures(
        postings=postings,
        **{name: _sorted(merged[name]) for name in _COUNTS},
        by_month=dict(sorted(merged["by_month"].items())),
        with_position=with_position,
        with_salary=with_salary,
        salary_monthly_median={k: float(median(v)) for k, v in sorted(pay.items())},
    )
    return FiguresPart(figures=figures, salary_midpoints={k: tuple(v) for k, v in sorted(pay.items())})


def merge_figures(parts: Sequence[FiguresPart]) -> DemandFigures:
    """The DemandFigures of several chunks' parts together (see merge_parts)."""
    return merge_parts(parts).figures


def top_skills(results: Sequence[TagResult], n: int = 10) -> list[SkillRank]:
    """The n competencies asked by most postings, with their share of all postings (ties by code)."""
    counts = Counter(h.code for r in results for h in r.competencies)
    total = max(1, len(results))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return [SkillRank(rank=i + 1, code=c, postings=k, share=k / total) for i, (c, k) in enumerate(ranked)]


_GETTERS = {
    "competency": lambda r: [h.code for h in r.competencies],
    "platform": lambda r: [h.code for h in r.platforms],
    "language": lambda r: [h.code for h in r.languages],
    "position": lambda r: [r.position] if r.position else [],
    "occupation": lambda r: list(r.csco[:1]),
    "city": lambda r: [r.city] if r.city else [],
}


def trends(results: Sequence[TagResult], kind: str = "competency") -> Trend:
    """Postings per month and code of ``kind`` (competency, platform, language, position, occupation, city),
    over results that have a month, with each code's least-squares slope (postings per month)."""
    if kind not in _GETTERS:
        raise ValueError(f"unknown trend kind {kind!r}; expected one of {sorted(_GETTERS)}")
    get = _GETTERS[kind]
    months = sorted({r.month for r in results if r.month})
    codes = sorted({c for r in results if r.month for c in get(r)})
    mi = {m: i for i, m in enumerate(months)}
    ci = {c: i for i, c in enumerate(codes)}
    counts = np.zeros((len(months), len(codes)), dtype=np.int64)
    for r in results:
        if r.month:
            for c in set(get(r)):
                counts[mi[r.month], ci[c]] += 1
    if len(months) >= 2:
        x = np.arange(len(months), dtype=float)
        x -= x.mean()
        slope = (x[:, None] * (counts - counts.mean(axis=0))).sum(axis=0) / (x * x).sum()
    else:
        slope = np.zeros(len(codes))
    return Trend(kind=kind, months=tuple(months), codes=tuple(codes), counts=counts, slope=slope)
