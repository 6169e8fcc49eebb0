"""Demo real stores: the demo login "student" (20240001) runs an AliExpress store whose three weeks await the demo
tutor's co-signature; 20240002 runs an Amazon store with six weeks, four co-signed, which give 20240002's grade on
SP01's platform-operation component (40 % of the course). Idempotent: a student with a store is left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from cbec_talent.cohorts.models import AssessmentComponent, Student

from . import services
from .models import RealStore

MONDAY = dt.date(2026, 3, 2)
WEEKS = [  # orders, sales, conversion %, rating, disputes
    (12, "640.00", "1.80", "4.6", 0),
    (18, "910.50", "2.10", "4.7", 1),
    (25, "1320.00", "2.60", "4.8", 0),
    (22, "1180.40", "2.30", "4.5", 2),
    (30, "1610.00", "2.90", "4.8", 0),
    (27, "1450.20", "2.70", "4.7", 1),
]


@transaction.atomic
def create_demo_data() -> None:
    tutor = get_user_model().objects.filter(username="tutor").first()
    plan = [
        ("20240001", RealStore.Platform.ALIEXPRESS, "Zhang's Tea Shop", 3, 0),
        ("20240002", RealStore.Platform.AMAZON, "Wang Home Goods", 6, 4),
    ]
    for number, platform, name, n_weeks, n_signed in plan:
        student = Student.objects.filter(number=number).select_related("school_class__cohort").first()
        if student is None or student.real_stores.exists():
            continue
        component = AssessmentComponent.objects.filter(
            course__programme=student.school_class.cohort.programme, course__code="SP01", code="OPS"
        ).first()
        store = services.store_create(student=student, platform=platform, name=name, tutor=tutor, component=component)
        for i, (orders, sales, conversion, rating, disputes) in enumerate(WEEKS[:n_weeks]):
            week = services.week_enter(
                store=store,
                values={
                    "week_start": MONDAY + dt.timedelta(weeks=i),
                    "orders": orders,
                    "sales": Decimal(sales),
                    "currency": "USD",
                    "conversion_rate": Decimal(conversion),
                    "rating": Decimal(rating),
                    "disputes": disputes,
                },
            )
            if i < n_signed and tutor is not None:
                services.week_cosign(
                    week=week, tutor=tutor, note="核对平台后台报表 checked against the platform report"
                )
