"""Demo creating space: three projects (one from the demo tutor's enterprise, mentored by the demo teacher and
tutor), one team including the demo student's record, one provincial competition with the team's result.

Idempotent: does nothing once a project exists. Runs after the cohorts and partnerships demos."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cbec_talent.accounts.models import User
from cbec_talent.cohorts.models import Student
from cbec_talent.partnerships.models import Enterprise

from . import services
from .models import Project

PROJECTS = [
    (
        "速卖通店铺孵化 AliExpress store incubation",
        "学生团队在企业导师指导下从零运营一家速卖通店铺：选品、上架、推广与客服。",
        Project.Kind.STORE,
        Project.Status.OPEN,
        ["OPS.PLATFORM", "MKT.ONLINE", "LANG.EN", "OPS.SERVICE"],
    ),
    (
        "TikTok Shop 选品与产品开发 Product sourcing for TikTok Shop",
        "为合作企业的美国站开发三款新品：市场调研、供应链比价与内容营销方案。",
        Project.Kind.PRODUCT,
        Project.Status.OPEN,
        ["MKT.RESEARCH", "OPS.SUPPLY", "MKT.CONTENT"],
    ),
    (
        "海外仓服务方案研究 Overseas warehouse service study",
        "调研中小卖家使用海外仓的成本与时效，形成研究报告。",
        Project.Kind.RESEARCH,
        Project.Status.COMPLETED,
        ["OPS.LOGISTICS", "TRADE.CUSTOMS", "DATA.ANALYSIS"],
    ),
]


@transaction.atomic
def create_demo_data() -> None:
    if Project.objects.exists():
        return
    teacher = User.objects.filter(username="teacher").first()
    tutor = User.objects.filter(username="tutor").first()
    enterprises = list(Enterprise.objects.order_by("name"))
    tutor_enterprise = tutor.enterprises.order_by("name").first() if tutor is not None else None
    projects = []
    for i, (title, description, kind, status, codes) in enumerate(PROJECTS):
        others = [e for e in enterprises if e != tutor_enterprise] or enterprises
        enterprise = tutor_enterprise if i == 0 else (others[0] if others and i == 1 else None)
        projects.append(
            services.project_create(
                title=title,
                description=description,
                kind=kind,
                status=status,
                competencies=codes,
                team_size=4,
                enterprise=enterprise,
                school_mentors=[teacher] if teacher is not None and teacher.has_role("teacher") else [],
                enterprise_mentors=[tutor]
                if i == 0 and tutor is not None and tutor.has_role("enterprise_tutor")
                else [],
            )
        )
    competition = services.competition_create(
        name="跨境电商创新创业大赛 CBEC Innovation and Entrepreneurship Competition",
        level="provincial",
        organiser="省教育厅 Provincial Department of Education",
        date=dt.date(2026, 5, 20),
        description="以真实店铺运营数据参赛。",
    )
    login = User.objects.filter(username="student").first()
    own = Student.objects.filter(user=login).first() if login is not None else None
    others = list(Student.objects.exclude(pk=getattr(own, "pk", None)).order_by("number")[2:4])
    members = ([own] if own is not None else []) + others
    if not members:
        return
    team = services.team_create(project=projects[0], name="出海先锋 Going-global pioneers", members=members)
    entry = services.entry_create(competition=competition, team=team)
    services.result_save(entry=entry, award="second", rank=2, note="省赛二等奖", today=dt.date(2026, 6, 1))
