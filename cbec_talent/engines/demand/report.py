"""Render demand figures as a Markdown report (aggregate figures only, never posting text)."""

from __future__ import annotations

from collections.abc import Mapping

from cbec_talent.engines.demand.data import DemandFigures, SkillRank


def _table(title: str, counts: Mapping[str, int], total: int, names: Mapping[str, str] | None, limit: int) -> str:
    if not counts:
        return f"### {title}\n\n(none found)\n"
    lines = [f"### {title}\n", "| code | name | postings | share |", "|---|---|---:|---:|"]
    for code, n in list(counts.items())[:limit]:
        name = (names or {}).get(code, "")
        lines.append(f"| {code} | {name} | {n} | {n / max(1, total):.1%} |")
    return "\n".join(lines) + "\n"


def render_markdown(
    figures: DemandFigures,
    *,
    title: str = "Demand report",
    intro: str = "",
    names: Mapping[str, str] | None = None,
    top: list[SkillRank] | None = None,
    limit: int = 25,
) -> str:
    """A Markdown report: coverage, then counts by position, occupation, competency (or ``top``),
    platform, language, city, month and education. ``names`` maps codes to display names."""
    total = figures.postings
    parts = [f"# {title}\n"]
    if intro:
        parts.append(intro.strip() + "\n")
    parts.append(
        f"- postings: {total}\n"
        f"- assigned a framework position: {figures.with_position} ({figures.with_position / max(1, total):.1%})\n"
        f"- with a stated salary: {figures.with_salary}\n"
    )
    parts.append(_table("Positions", figures.by_position, total, names, limit))
    parts.append(_table("Occupations (CSCO 2022)", figures.by_occupation, total, names, limit))
    if top is not None:
        lines = ["### Top competencies\n", "| rank | code | name | postings | share |", "|---:|---|---|---:|---:|"]
        lines += [
            f"| {s.rank} | {s.code} | {(names or {}).get(s.code, '')} | {s.postings} | {s.share:.1%} |" for s in top
        ]
        parts.append("\n".join(lines) + "\n")
    else:
        parts.append(_table("Competencies", figures.by_competency, total, names, limit))
    parts.append(_table("Platforms", figures.by_platform, total, None, limit))
    parts.append(_table("Foreign languages", figures.by_language, total, None, limit))
    parts.append(_table("Cities", figures.by_city, total, None, limit))
    parts.append(_table("Months", figures.by_month, total, None, 100))
    parts.append(_table("Education asked (minimum)", figures.by_education, total, None, limit))
    if figures.salary_monthly_median:
        lines = ["### Median stated monthly salary (CNY) by position\n", "| position | median |", "|---|---:|"]
        lines += [f"| {k} | {v:,.0f} |" for k, v in figures.salary_monthly_median.items()]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)
