"""JSON API (django-ninja) with OpenAPI docs at /api/docs; permission-checked like the pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from cbec_talent.competencies import selectors
from cbec_talent.competencies.access import READ_ROLES, access_framework_for_user
from cbec_talent.competencies.models import Competency, Framework
from cbec_talent.core.access import has_any_role

api = NinjaAPI(
    title="CBEC Talent API",
    version="1",
    urls_namespace="api",
    description="Frameworks, competencies and positions. Sign in on the site first (session authentication).",
    auth=django_auth,
    docs_decorator=login_required,
)


def _readable(request, pk: int) -> Framework:
    if not has_any_role(request.user, READ_ROLES):
        raise HttpError(403, "Forbidden")
    fw = get_object_or_404(Framework, pk=pk)
    access_framework_for_user(request.user, fw, "view")
    return fw


class FrameworkOut(Schema):
    id: int
    code: str
    version: str
    name_zh: str
    name_en: str
    is_reference: bool


class CompetencyOut(Schema):
    code: str
    area: str
    name_zh: str
    name_en: str
    descriptor_zh: str
    descriptor_en: str
    keywords_zh: list[str]
    keywords_en: list[str]


class RequirementLinkOut(Schema):
    competency: str
    level: str


class RequirementOut(Schema):
    text_zh: str
    text_en: str
    competencies: list[RequirementLinkOut]


class PositionOut(Schema):
    code: str
    name_zh: str
    name_en: str
    source: str
    directions: list[str]
    csco: list[str]
    esco: list[str]
    requirements: list[RequirementOut]


@api.get("/frameworks", response=list[FrameworkOut], tags=["frameworks"])
def list_frameworks(request):
    if not has_any_role(request.user, READ_ROLES):
        raise HttpError(403, "Forbidden")
    return list(Framework.objects.order_by("code", "version"))


@api.get("/frameworks/{pk}/competencies", response=list[CompetencyOut], tags=["frameworks"])
def list_competencies(request, pk: int, q: str = ""):
    fw = _readable(request, pk)
    qs = Competency.objects.filter(framework=fw).select_related("area").order_by("order")
    if q:
        qs = qs.filter(selectors.competency_search_q(q[:100]))
    return [
        CompetencyOut(
            code=c.code,
            area=c.area.code,
            name_zh=c.name_zh,
            name_en=c.name_en,
            descriptor_zh=c.descriptor_zh,
            descriptor_en=c.descriptor_en,
            keywords_zh=c.keywords_zh,
            keywords_en=c.keywords_en,
        )
        for c in qs
    ]


@api.get("/frameworks/{pk}/positions", response=list[PositionOut], tags=["frameworks"])
def list_positions(request, pk: int):
    fw = _readable(request, pk)
    out = []
    for p in selectors.position_list(fw).prefetch_related(
        "requirements__links__competency", "requirements__links__level"
    ):
        out.append(
            PositionOut(
                code=p.code,
                name_zh=p.name_zh,
                name_en=p.name_en,
                source=p.source,
                directions=[d.code for d in p.directions.all()],
                csco=p.csco_codes,
                esco=p.esco_uris,
                requirements=[
                    RequirementOut(
                        text_zh=r.text_zh,
                        text_en=r.text_en,
                        competencies=[
                            RequirementLinkOut(competency=lk.competency.code, level=lk.level.code)
                            for lk in r.links.all()
                        ],
                    )
                    for r in p.requirements.all()
                ],
            )
        )
    return out
