"""Real-store evidence: weekly figures imported from a platform report (CSV or Excel, documented columns, all or
nothing), the enterprise tutor co-signs each week, and co-signed weeks become the student's grade on the store's
assessment component, which counts in the course score with the component's weight."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cbec_talent.accounts.models import AuditLog
from cbec_talent.cohorts import services as cohort_services
from cbec_talent.cohorts.models import AssessmentComponent, Grade, SchoolClass, Student
from cbec_talent.cohorts.selectors import figures
from cbec_talent.core.errors import CbecError
from cbec_talent.programmes.models import Programme
from cbec_talent.realstore import scoring, services
from cbec_talent.realstore.models import RealStore

CSV = (
    "week_start,orders,sales,currency,sessions,conversion_rate,rating,disputes\n"
    "2026-03-02,20,1000,USD,,2.0,4.5,0\n"  # meets every target: 100
    "2026-03-11,10,$500.00,USD,,1%,4.5,1\n"  # a Wednesday -> its Monday 2026-03-09; half of most targets
    "2026-W12,30,1500,USD,1500,,4.8,0\n"  # ISO week; conversion from sessions (2 %)
)


@pytest.fixture
def world(db, reference, make_user):
    programme = Programme.objects.get(code="P000-CBEC")
    course = programme.courses.get(code="SP01")
    cohort_services.plan_save(
        course=course,
        components=[
            {"code": "EXAM", "kind": "theory_exam", "weight": 60, "competencies": []},
            {"code": "STORE", "kind": "platform_operation", "weight": 40, "competencies": ["OPS.PLATFORM"]},
        ],
    )
    cohort = cohort_services.cohort_create(programme=programme, intake_year=2024, name="store")
    klass = SchoolClass.objects.create(cohort=cohort, name="S1")
    owner = make_user("owner", "student")
    student = Student.objects.create(number="S001", name="店主", school_class=klass, user=owner)
    exam = AssessmentComponent.objects.get(course=course, code="EXAM")
    component = AssessmentComponent.objects.get(course=course, code="STORE")
    Grade.objects.create(student=student, component=exam, score=80)
    tutor = make_user("tutor_chen", "enterprise_tutor")
    store = services.store_create(student=student, platform="amazon", name="Shop", tutor=tutor, component=component)
    return store, student, tutor, exam, component, owner


def _course_score(student, code="SP01"):
    fig = figures(student.school_class.cohort.programme, [student])
    j = [c.code for c in fig.courses].index(code)
    return float(fig.result.course_scores[0, j])


def test_import_then_cosign_gives_a_weighted_grade(world):
    store, student, tutor, _exam, component, _owner = world
    assert services.weeks_import(store=store, data=CSV.encode(), filename="report.csv") == 3
    weeks = {w.week_start: w for w in store.weeks.all()}
    assert set(weeks) == {dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16)}
    assert weeks[dt.date(2026, 3, 16)].conversion == Decimal("2.00")
    assert not Grade.objects.filter(component=component).exists()  # nothing counts before a co-signature
    assert _course_score(student) == pytest.approx(80.0)  # renormalised over the exam alone

    grade = services.week_cosign(week=weeks[dt.date(2026, 3, 2)], tutor=tutor)
    assert grade == Decimal("100.00")
    grade = services.week_cosign(week=weeks[dt.date(2026, 3, 9)], tutor=tutor)
    second = scoring.week_score(scoring.WeekFigures(10, 500, 1.0, 4.5, 1), scoring.Targets(20, 1000, 2, 4.5, 2))
    assert second == pytest.approx(100 * (0.5 + 0.5 + 0.5 + 1 + 0.2) / 5)  # dispute rate 10 % vs 2 %: 0.2
    assert float(grade) == pytest.approx((100 + second) / 2, abs=0.01)
    stored = Grade.objects.get(student=student, component=component)
    assert stored.score == grade and stored.entered_by == tutor
    # the component weighs 40 % of the course
    assert _course_score(student) == pytest.approx(0.6 * 80 + 0.4 * float(grade), abs=0.01)
    assert AuditLog.objects.filter(object_type="cohorts.Grade", actor=tutor).exists()
    assert AuditLog.objects.filter(object_type="realstore.StoreWeek", action="update", actor=tutor).exists()


def test_a_cosigned_week_cannot_change_until_reopened(world):
    store, student, tutor, *_ = world
    services.weeks_import(store=store, data=CSV.encode(), filename="r.csv")
    week = store.weeks.get(week_start=dt.date(2026, 3, 2))
    services.week_cosign(week=week, tutor=tutor)
    changed = CSV.replace("2026-03-02,20,1000", "2026-03-02,99,9999")
    with pytest.raises(CbecError) as exc:
        services.weeks_import(store=store, data=changed.encode(), filename="r.csv")
    assert exc.value.problems[0].row == 2 and "co-signed" in str(exc.value.problems[0])
    assert store.weeks.get(week_start=dt.date(2026, 3, 2)).orders == 20
    assert services.week_reopen(week=week, tutor=tutor) is None  # no co-signed week left: the grade goes
    assert not Grade.objects.filter(student=student, component=store.component).exists()
    services.weeks_import(store=store, data=changed.encode(), filename="r.csv")
    assert store.weeks.get(week_start=dt.date(2026, 3, 2)).orders == 99


def test_bad_rows_store_nothing_and_name_row_and_column(world):
    store, *_ = world
    bad = (
        "week_start,orders,sales,conversion_rate,rating,disputes\n"
        "2026-03-02,20,1000,2.0,4.5,0\n"
        "2026-03-09,-3,1000,2.0,4.5,0\n"
        "2026-03-16,5,abc,2.0,7,0\n"
        "2026-03-04,5,100,2.0,4,0\n"
        "not-a-date,5,100,2.0,4,0\n"
    )
    with pytest.raises(CbecError) as exc:
        services.weeks_import(store=store, data=bad.encode(), filename="r.csv")
    found = {(p.row, p.field) for p in exc.value.problems}
    assert {(3, "orders"), (4, "sales"), (4, "rating"), (5, "week_start"), (6, "week_start")} <= found
    assert not store.weeks.exists()
    with pytest.raises(CbecError) as exc:
        services.weeks_import(store=store, data=b"week_start,orders\n2026-03-02,1\n", filename="r.csv")
    assert {"sales", "rating", "disputes"} <= {p.field for p in exc.value.problems}


def test_excel_and_platform_headers(world):
    store, *_ = world
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        ["Date", "Sessions", "Units Ordered", "Ordered Product Sales", "Unit Session Percentage", "店铺评分", "纠纷数"]
    )
    ws.append([dt.date(2026, 3, 2), 800, 16, 812.5, "2.00%", 4.6, 0])
    ws.append(["2026-03-09", 900, 18, "$903.10", "2.00%", 4.7, 1])
    out = io.BytesIO()
    wb.save(out)
    assert services.weeks_import(store=store, data=out.getvalue(), filename="BusinessReport.xlsx") == 2
    week = store.weeks.get(week_start=dt.date(2026, 3, 9))
    assert (week.orders, week.sales, week.sessions, week.rating) == (18, Decimal("903.10"), 900, Decimal("4.70"))


def test_gb18030_csv(world):
    store, *_ = world
    data = "周开始日期,订单数,销售额,转化率,评分,纠纷数\n2026-03-02,20,1000,2.0,4.5,0\n".encode("gb18030")
    assert services.weeks_import(store=store, data=data, filename="店铺周报.csv") == 1


def test_pages_student_imports_tutor_cosigns(world, client, make_user):
    store, student, tutor, _exam, component, owner = world
    client.force_login(owner)
    page = f"/real-store/{store.pk}/"
    assert client.get(page).status_code == 200
    upload = SimpleUploadedFile("report.csv", CSV.encode(), content_type="text/csv")
    assert client.post(f"{page}import/", {"file": upload}).status_code == 302
    week = store.weeks.get(week_start=dt.date(2026, 3, 2))
    assert client.post(f"/real-store/weeks/{week.pk}/cosign/").status_code == 403  # a student cannot co-sign
    bad = SimpleUploadedFile("report.csv", b"week_start,orders,sales,conversion_rate,rating,disputes\nx,1,1,1,1,1\n")
    response = client.post(f"{page}import/", {"file": bad})
    assert response.status_code == 200 and 'data-row="2"' in response.content.decode()
    other = make_user("other_tutor", "enterprise_tutor")
    client.force_login(other)
    assert client.get(page).status_code == 403
    assert client.post(f"/real-store/weeks/{week.pk}/cosign/").status_code == 403
    client.force_login(tutor)
    client.post(f"/real-store/weeks/{week.pk}/cosign/", {"note": "checked"})
    week.refresh_from_db()
    assert week.cosigned and week.tutor_note == "checked"
    assert Grade.objects.get(student=student, component=component).score == Decimal("100.00")
    assert 'data-score="100.0"' in client.get(page).content.decode()
    client.force_login(owner)
    response = client.post(
        f"{page}weeks/new/",
        {
            "week_start": "2026-03-23",
            "orders": 5,
            "sales": "250",
            "currency": "USD",
            "rating": "4.2",
            "disputes": 0,
            "conversion_rate": "1.5",
        },
    )
    assert response.status_code == 302 and store.weeks.filter(week_start=dt.date(2026, 3, 23)).exists()


def test_demo_stores(db, reference):
    from cbec_talent.cohorts import demo as cohorts_demo
    from cbec_talent.demo import create_demo_users
    from cbec_talent.realstore import demo

    create_demo_users()
    cohorts_demo.create_demo_data()
    demo.create_demo_data()
    demo.create_demo_data()
    assert RealStore.objects.count() == 2
    wang = RealStore.objects.get(student__number="20240002")
    assert wang.weeks.filter(cosigned_at__isnull=False).count() == 4
    assert Grade.objects.get(student=wang.student, component=wang.component).score == Decimal(
        str(services.store_score(wang))
    ).quantize(Decimal("0.01"))
    zhang = RealStore.objects.get(student__number="20240001")
    assert zhang.weeks.count() == 3 and not zhang.weeks.filter(cosigned_at__isnull=False).exists()
