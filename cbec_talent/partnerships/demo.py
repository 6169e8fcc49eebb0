"""Demo alliance: two enterprises (the demo tutor works at one), agreements, posts, applications, a matching."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cbec_talent.accounts.models import User
from cbec_talent.cohorts.models import Student

from . import services
from .models import Agreement, Enterprise, InternshipPost

POSTS = [
    (
        "深圳跨境优品 Shenzhen Cross-border Goods",
        "亚马逊运营实习 Amazon operations intern",
        "POS.11",
        2,
        {"OPS.PLATFORM": "apply", "LANG.EN": "apply"},
    ),
    (
        "深圳跨境优品 Shenzhen Cross-border Goods",
        "跨境客服实习 Customer service intern",
        "POS.07",
        3,
        {"OPS.SERVICE": "apply", "LANG.EN": "aware"},
    ),
    (
        "杭州独立站科技 Hangzhou DTC Tech",
        "网络营销实习 Online marketing intern",
        "POS.04",
        2,
        {"MKT.ONLINE": "apply", "MKT.CONTENT": "aware"},
    ),
]


@transaction.atomic
def create_demo_data() -> None:
    if Enterprise.objects.exists():
        return
    start, end = dt.date(2027, 7, 1), dt.date(2027, 8, 31)
    first = Enterprise.objects.create(
        name=POSTS[0][0],
        city="深圳 Shenzhen",
        size="medium",
        platforms=["Amazon", "AliExpress"],
        markets=["US", "DE"],
        contact="陈经理",
    )
    second = Enterprise.objects.create(
        name=POSTS[2][0], city="杭州 Hangzhou", size="small", platforms=["Shopify", "TikTok Shop"], markets=["US", "UK"]
    )
    tutor = User.objects.filter(username="tutor").first()
    if tutor is not None:
        first.members.add(tutor)
    Agreement.objects.create(
        enterprise=first,
        kind="internship_base",
        title="实习基地协议 Internship base",
        start=dt.date(2026, 9, 1),
        end=dt.date(2029, 8, 31),
    )
    Agreement.objects.create(
        enterprise=second,
        kind="order_class",
        title="独立站订单班 DTC order class",
        start=dt.date(2026, 9, 1),
        end=dt.date(2028, 6, 30),
        quota=20,
        school_commitments="课程与场地",
        enterprise_commitments="兼职教师与实习岗位",
    )
    by_name = {first.name: first, second.name: second}
    posts = [
        InternshipPost.objects.create(
            enterprise=by_name[ent],
            title=title,
            position_code=code,
            seats=seats,
            requirements=req,
            languages=["en"],
            start=start,
            end=end,
        )
        for ent, title, code, seats, req in POSTS
    ]
    for i, student in enumerate(Student.objects.order_by("number")[:10]):
        order = [posts[i % 3], posts[(i + 1) % 3], posts[(i + 2) % 3]]
        services.applications_set(student=student, posts=order)
    services.match_run()
