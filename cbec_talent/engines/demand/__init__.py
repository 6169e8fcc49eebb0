"""Labour-market demand engine: tag job postings and aggregate demand figures (pure Python, no Django).

Public API:
    load_keyword_table(...)    -> KeywordTable   build the table from a framework's keyword files
    build_keyword_table(...)   -> KeywordTable   build it from in-memory mappings
    tag(posting, table)        -> TagResult
    tag_batch(items, table)    -> list[TagResult]
    tag_columns(items, table)  -> TagColumns     fast columnar variant (no salary/experience)
    demand_figures(results)    -> DemandFigures  counts by competency, position, occupation, platform, ...
    figures_part(results)      -> FiguresPart    one chunk's figures, mergeable exactly with others
    merge_figures(parts)       -> DemandFigures  the figures of several chunks together
    top_skills(results, n)     -> list[SkillRank]
    trends(results, kind)      -> Trend
    render_markdown(figures)   -> str            demand report
"""

from cbec_talent.engines.demand.aggregate import demand_figures, figures_part, merge_figures, top_skills, trends
from cbec_talent.engines.demand.data import (
    CompetencyHit,
    DemandFigures,
    Experience,
    FiguresPart,
    Hit,
    KeywordTable,
    Posting,
    Salary,
    SkillRank,
    TagColumns,
    TagResult,
    Trend,
)
from cbec_talent.engines.demand.report import render_markdown
from cbec_talent.engines.demand.table import build_keyword_table, load_keyword_table
from cbec_talent.engines.demand.tagger import tag, tag_batch, tag_columns

__all__ = [
    "CompetencyHit",
    "DemandFigures",
    "Experience",
    "FiguresPart",
    "Hit",
    "KeywordTable",
    "Posting",
    "Salary",
    "SkillRank",
    "TagColumns",
    "TagResult",
    "Trend",
    "build_keyword_table",
    "demand_figures",
    "figures_part",
    "load_keyword_table",
    "merge_figures",
    "render_markdown",
    "tag",
    "tag_batch",
    "tag_columns",
    "top_skills",
    "trends",
]
