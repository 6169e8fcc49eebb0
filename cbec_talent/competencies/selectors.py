"""Reads of frameworks: each selector owns its joins (no N+1 on list pages)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from .models import Area, Competency, Framework, Occupation, Position, Requirement, RequirementCompetency, TaxonomySkill


def framework_list():
    return Framework.objects.annotate(
        n_competencies=Count("competencies", distinct=True), n_positions=Count("positions", distinct=True)
    ).order_by("-is_reference", "code", "version")


def default_framework():
    return Framework.objects.filter(is_reference=True).order_by("-created_at").first() or Framework.objects.first()


def framework_areas(framework, query: str = ""):
    comps = Competency.objects.filter(framework=framework).order_by("order")
    if query:
        comps = comps.filter(competency_search_q(query))
    areas = (
        Area.objects.filter(framework=framework)
        .prefetch_related(Prefetch("competencies", queryset=comps, to_attr="shown"))
        .order_by("order")
    )
    return [a for a in areas if a.shown or not query]


def competency_search_q(query: str) -> Q:
    q = Q()
    for term in query.split()[:8]:
        q &= (
            Q(code__icontains=term)
            | Q(name_zh__icontains=term)
            | Q(name_en__icontains=term)
            | Q(descriptor_zh__icontains=term)
            | Q(descriptor_en__icontains=term)
            | Q(keywords_zh__icontains=term)
            | Q(keywords_en__icontains=term)
        )
    return q


def position_list(framework, query: str = ""):
    qs = Position.objects.filter(framework=framework).prefetch_related("directions").order_by("order")
    if query:
        q = Q()
        for term in query.split()[:8]:
            q &= (
                Q(code__icontains=term)
                | Q(name_zh__icontains=term)
                | Q(name_en__icontains=term)
                | Q(source_title__icontains=term)
                | Q(keywords_zh__icontains=term)
                | Q(keywords_en__icontains=term)
            )
        qs = qs.filter(q)
    return qs


def position_detail(framework, code: str):
    links = RequirementCompetency.objects.select_related("competency", "level").order_by("order")
    reqs = Requirement.objects.prefetch_related(Prefetch("links", queryset=links)).order_by("order")
    return (
        Position.objects.filter(framework=framework, code=code)
        .prefetch_related("directions", Prefetch("requirements", queryset=reqs))
        .first()
    )


def requirement_matrix(framework):
    """Position x competency: the highest level rank any requirement of the position asks for (0 = none)."""
    positions = list(Position.objects.filter(framework=framework).order_by("order"))
    competencies = list(Competency.objects.filter(framework=framework).order_by("order"))
    pos_index = {p.pk: i for i, p in enumerate(positions)}
    comp_index = {c.pk: j for j, c in enumerate(competencies)}
    matrix = [[0] * len(competencies) for _ in positions]
    rows = RequirementCompetency.objects.filter(requirement__position__framework=framework).values_list(
        "requirement__position_id", "competency_id", "level__rank"
    )
    for pos_id, comp_id, rank in rows:
        i, j = pos_index[pos_id], comp_index[comp_id]
        matrix[i][j] = max(matrix[i][j], rank)
    return positions, competencies, matrix


def occupations_for_codes(taxonomy: str, codes):
    return {o.code: o for o in Occupation.objects.filter(taxonomy=taxonomy, code__in=list(codes))}


def occupation_search(query: str, taxonomy: str = "", limit: int = 50):
    qs = Occupation.objects.all()
    if taxonomy:
        qs = qs.filter(taxonomy=taxonomy)
    if query:
        q = Q()
        for term in query.split()[:8]:
            q &= Q(code__icontains=term) | Q(name__icontains=term) | Q(alt_labels__icontains=term)
        qs = qs.filter(q)
    return qs.order_by("taxonomy", "code")[:limit]


def skill_search(query: str, limit: int = 30):
    q = Q()
    for term in query.split()[:8]:
        q &= Q(text__icontains=term)
    return TaxonomySkill.objects.filter(q).order_by("code")[:limit]
