"""`{% certificate_coverage programme %}`: the programme page's certificate coverage summary (课证融通), rendered by
the certification app so that the programmes app does not import it."""

from __future__ import annotations

from django import template

from cbec_talent.certification.credit import programme_coverage

register = template.Library()


@register.inclusion_tag("certification/_coverage_summary.html")
def certificate_coverage(programme):
    coverage = programme_coverage(programme)
    return {"programme": programme, "coverage": coverage, "unprepared": sum(len(c.unprepared) for c in coverage)}
