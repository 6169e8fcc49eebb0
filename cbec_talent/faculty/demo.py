"""Demo teachers: the demo `teacher` login's profile with training and enterprise practice, three more school
teachers, and two enterprise part-time teachers at the alliance's enterprises (the demo `tutor` is one of
them), linked to courses of the sample programme P000-CBEC. Idempotent: a teacher that exists is left alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cbec_talent.accounts.models import User
from cbec_talent.partnerships.models import Enterprise
from cbec_talent.programmes.models import Programme

from . import services
from .models import Teacher


def _date(years_ago: int, month: int, day: int) -> dt.date:
    return dt.date(dt.date.today().year - years_ago, month, day)


def _enterprises() -> tuple[Enterprise, Enterprise]:
    first = Enterprise.objects.first()
    if first is None:
        first = Enterprise.objects.create(name="深圳跨境优品 Shenzhen Cross-border Goods", city="深圳 Shenzhen")
    tutor = User.objects.filter(username="tutor").first()
    if tutor is not None and tutor.enterprises.exists():
        first = tutor.enterprises.order_by("name").first()
    second = Enterprise.objects.exclude(pk=first.pk).first() or first
    return first, second


def _user(username: str, role: str):
    user = User.objects.filter(username=username).first()
    return user if user is not None and user.has_role(role) else None


@transaction.atomic
def create_demo_data() -> None:
    programme = Programme.objects.filter(code="P000-CBEC").order_by("-is_sample", "version").first()
    courses = {c.code: c for c in programme.courses.all()} if programme else {}
    first, second = _enterprises()
    teachers = [
        {
            "number": "T001",
            "name": "李老师 Teacher Li",
            "kind": Teacher.Kind.SCHOOL,
            "user": _user("teacher", "teacher"),
            "title": "讲师 Lecturer",
            "expertise": "跨境电商平台运营 Platform operation",
            "courses": ["BS11", "SP01", "PR02"],
            "training": [
                (
                    "跨境电商平台运营师资培训 Platform operation teacher training",
                    "省教育厅 Provincial education dept.",
                    _date(1, 7, 8),
                    _date(1, 7, 19),
                    80,
                    "结业证书 Completion certificate",
                ),
                (
                    "1+X 跨境电商 B2C 数据运营师资培训 1+X B2C data operation",
                    "1+X 证书评价组织",
                    _date(0, 1, 10),
                    _date(0, 1, 14),
                    40,
                    "",
                ),
            ],
            "practice": [
                (first, _date(2, 7, 1), _date(2, 8, 31), 480, "亚马逊店铺上新与广告投放 Amazon listings and ads"),
                (second, _date(1, 7, 22), _date(1, 9, 10), 560, "独立站营销与数据分析 DTC marketing and analytics"),
            ],
            "qualifications": [],
        },
        {
            "number": "T002",
            "name": "王老师 Teacher Wang",
            "kind": Teacher.Kind.SCHOOL,
            "title": "副教授 Associate professor",
            "expertise": "国际贸易、外贸英语 International trade, trade English",
            "courses": ["BS05", "SP07"],
            "training": [
                (
                    "国际贸易实务研修 International trade workshop",
                    "商务部培训中心",
                    _date(3, 5, 6),
                    _date(3, 5, 10),
                    32,
                    "",
                ),
            ],
            "practice": [],
            "qualifications": [
                (
                    "vocational",
                    "跨境电子商务师 Cross-border e-commerce engineer",
                    "人社部 MOHRSS",
                    "三级",
                    _date(2, 6, 20),
                    None,
                    True,
                ),
            ],
        },
        {
            "number": "T003",
            "name": "赵老师 Teacher Zhao",
            "kind": Teacher.Kind.SCHOOL,
            "title": "讲师 Lecturer",
            "expertise": "商务数据分析 Business data analysis",
            "courses": ["SP06", "PR05"],
            "training": [
                (
                    "Python 商务数据分析 Business data analysis with Python",
                    "高校师资网",
                    _date(1, 8, 1),
                    _date(1, 8, 5),
                    40,
                    "培训证书 Training certificate",
                ),
            ],
            "practice": [(first, _date(0, 1, 15), _date(0, 2, 20), 200, "店铺数据看板 Store data dashboard")],
            "qualifications": [],
        },
        {
            "number": "T004",
            "name": "刘老师 Teacher Liu",
            "kind": Teacher.Kind.SCHOOL,
            "title": "助教 Teaching assistant",
            "expertise": "国际物流、报关 Logistics and customs",
            "courses": ["SP02", "SP04"],
            "training": [],
            "practice": [],
            "qualifications": [
                ("other", "高校教师资格证 College teacher certificate", "省教育厅", "", _date(4, 9, 1), None, False),
            ],
        },
        {
            "number": "E001",
            "name": "陈经理 Manager Chen",
            "kind": Teacher.Kind.ENTERPRISE,
            "enterprise": first,
            "user": _user("tutor", "enterprise_tutor"),
            "title": "运营总监 Operations director",
            "expertise": "亚马逊运营、客服 Amazon operations, customer service",
            "courses": ["PR04", "PR07"],
            "training": [],
            "practice": [],
            "qualifications": [
                ("industry_title", "经济师 Economist", "人社部 MOHRSS", "中级", _date(6, 11, 1), None, True),
            ],
        },
        {
            "number": "E002",
            "name": "周工 Engineer Zhou",
            "kind": Teacher.Kind.ENTERPRISE,
            "enterprise": second,
            "title": "视觉设计主管 Visual design lead",
            "expertise": "独立站视觉与内容 DTC visuals and content",
            "courses": ["PR09", "SP12"],
            "training": [],
            "practice": [],
            "qualifications": [],
        },
    ]
    for spec in teachers:
        if Teacher.objects.filter(number=spec["number"]).exists():
            continue
        user = spec.get("user")
        if user is not None and Teacher.objects.filter(user=user).exists():
            user = None
        teacher = services.teacher_create(
            number=spec["number"],
            name=spec["name"],
            kind=spec["kind"],
            user=user,
            enterprise=spec.get("enterprise"),
            title=spec["title"],
            expertise=spec["expertise"],
            courses=[courses[c] for c in spec["courses"] if c in courses],
        )
        for name, provider, start, end, hours, certificate in spec["training"]:
            services.ledger_entry_create(
                teacher=teacher,
                entry_type="training",
                name=name,
                provider=provider,
                start=start,
                end=end,
                hours=hours,
                certificate=certificate,
            )
        for enterprise, start, end, hours, work in spec["practice"]:
            services.ledger_entry_create(
                teacher=teacher,
                entry_type="practice",
                enterprise=enterprise,
                start=start,
                end=end,
                hours=hours,
                work=work,
            )
        for kind, name, issuer, level, obtained, valid_until, relevant in spec["qualifications"]:
            services.ledger_entry_create(
                teacher=teacher,
                entry_type="qualification",
                kind=kind,
                name=name,
                issuer=issuer,
                level=level,
                obtained=obtained,
                valid_until=valid_until,
                relevant=relevant,
            )
