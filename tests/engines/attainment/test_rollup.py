"""Roll-ups on a small programme whose numbers a programme director can check by hand."""

import math

import numpy as np
import pytest

from cbec_talent.engines.attainment import (
    Component,
    ComponentKind,
    CourseObjective,
    CoursePlan,
    Method,
    MissingPolicy,
    RollupConfig,
    ScoreTensor,
    Strength,
    SupportMatrix,
    compile_model,
    explain,
    explain_cohort,
    explain_course,
    roll_up,
    scores_from_records,
)

K = ComponentKind
NAN = float("nan")

# Given: two courses. Platform practice: exam 60 % + store operation 40 % (the operation evidences
# OPS.PLATFORM only). Business English: written exam 0.5 + enterprise tutor 0.5 (fractions), marked of 50.
PLANS = (
    CoursePlan(
        "PRAC",
        (
            Component("exam", K.THEORY_EXAM, 60),
            Component("store", K.PLATFORM_OPERATION, 40, competencies=("OPS.PLATFORM",)),
        ),
    ),
    CoursePlan(
        "ENG",
        (Component("exam", K.THEORY_EXAM, 0.5), Component("tutor", K.ENTERPRISE_TUTOR, 0.5)),
        declared_total=1.0,
        full_marks=50.0,
    ),
)
SUPPORT = SupportMatrix(("PRAC", "ENG"), ("OPS.PLATFORM", "LANG.EN"), (("H", "L"), ("M", "H")))
STUDENTS = ("s1", "s2", "s3")


def scores(rows, dtype=np.float64):
    return ScoreTensor(STUDENTS, ("PRAC", "ENG"), np.array(rows, dtype=dtype))


ROWS = [[[80, 90], [35, 45]], [[50, 40], [30, 20]], [[70, NAN], [NAN, NAN]]]


def model(**cfg):
    return compile_model(PLANS, SUPPORT, RollupConfig(**cfg))


def test_course_scores_are_the_weighted_component_scores():
    r = roll_up(scores(ROWS), model())
    assert r.course_scores[0, 0] == pytest.approx(0.6 * 80 + 0.4 * 90)
    assert r.course_scores[0, 1] == pytest.approx(0.5 * 35 + 0.5 * 45)
    assert r.course_values[0, 1] == pytest.approx((0.5 * 35 + 0.5 * 45) / 50)


def test_weighted_average_through_the_support_matrix_uses_the_strength_numbers():
    r = roll_up(scores(ROWS), model())
    prac, eng = (0.6 * 80 + 0.4 * 90) / 100, (0.5 * 35 + 0.5 * 45) / 50
    assert r.competency[0, 0] == pytest.approx((3 * prac + 2 * eng) / 5)
    # LANG.EN: in PRAC only the exam names no competency, so only the exam is evidence of LANG.EN there.
    assert r.competency[0, 1] == pytest.approx((1 * 80 / 100 + 3 * eng) / 4)
    r51 = roll_up(scores(ROWS), model(strength_weights=(("H", 5.0), ("M", 3.0), ("L", 1.0))))
    assert r51.competency[0, 0] == pytest.approx((5 * prac + 3 * eng) / 8)


def test_min_strength_drops_weak_links():
    r = roll_up(scores(ROWS), model(min_strength=Strength.MEDIUM))
    eng = (0.5 * 35 + 0.5 * 45) / 50
    assert r.competency[0, 1] == pytest.approx(eng)


def test_minimum_method_takes_the_weakest_supporting_course():
    r = roll_up(scores(ROWS), model(method=Method.MINIMUM))
    prac, eng = (0.6 * 50 + 0.4 * 40) / 100, (0.5 * 30 + 0.5 * 20) / 50
    assert r.competency[1, 0] == pytest.approx(min(prac, eng))
    cohort = r.cohort()
    assert cohort.method is Method.MINIMUM
    mean_prac = np.mean([(0.6 * 80 + 0.4 * 90) / 100, prac, 70 / 100])  # s3: exam only, renormalised
    mean_eng = np.mean([(35 + 45) / 100, eng])  # s3 has no English evidence yet
    assert cohort.values[0] == pytest.approx(min(mean_prac, mean_eng))


def test_missing_scores_renormalise_or_count_as_zero():
    renorm = roll_up(scores(ROWS), model())
    zero = roll_up(scores(ROWS), model(missing=MissingPolicy.ZERO))
    assert renorm.course_scores[2, 0] == pytest.approx(70)  # store operation not in yet
    assert zero.course_scores[2, 0] == pytest.approx(0.6 * 70)
    assert math.isnan(renorm.course_scores[2, 1]) and zero.course_scores[2, 1] == 0
    # OPS.PLATFORM for s3 rests on PRAC alone while English is not assessed yet.
    assert renorm.competency[2, 0] == pytest.approx(0.7)
    assert zero.competency[2, 0] == pytest.approx(3 * 0.42 / 5)
    assert not np.isnan(zero.competency).any()


def test_cohort_share_over_threshold_counts_assessed_students_only():
    r = roll_up(scores(ROWS), model(method=Method.SHARE_OVER_THRESHOLD, threshold=0.65))
    col = r.competency[:, 1]
    assessed = ~np.isnan(col)
    c = r.cohort()
    assert c.assessed[1] == assessed.sum()
    assert c.values[1] == pytest.approx(np.sum(col[assessed] >= 0.65) / assessed.sum())
    assert list(c.attained) == list(c.values >= 0.7)


def test_students_at_risk_name_their_weak_competencies():
    r = roll_up(scores(ROWS), model())
    flags = r.at_risk(0.6)
    expected = [i for i in range(3) if np.nanmin(r.competency[i]) < 0.6]
    assert [f.student_index for f in flags] == expected
    for f in flags:
        vals = [v for _, v in f.competencies]
        assert vals == sorted(vals) and all(v < 0.6 for v in vals)
        assert {c for c, _ in f.competencies} == {
            r.model.competencies[j] for j in range(2) if r.competency[f.student_index, j] < 0.6
        }


@pytest.mark.parametrize("method", list(Method))
@pytest.mark.parametrize("missing", list(MissingPolicy))
def test_explain_rebuilds_every_number_from_its_courses_and_components(method, missing):
    r = roll_up(scores(ROWS), model(method=method, missing=missing))
    for i in range(3):
        for j, code in enumerate(r.model.competencies):
            e = explain(r, i, code)
            assert e.student == STUDENTS[i] and e.competency == code
            values = []
            for course in e.courses:
                parts = [c.used_weight * c.score / c.full_marks for c in course.components if c.used_weight]
                if parts:
                    assert course.value == pytest.approx(math.fsum(parts), rel=1e-9)
                    values.append((course.support_weight, course.value))
            if not values:
                assert math.isnan(e.value)
            elif method is Method.MINIMUM:
                assert e.value == pytest.approx(min(v for _, v in values))
                assert sum(c.decisive for c in e.courses) == 1
            else:
                assert e.value == pytest.approx(sum(w * v for w, v in values))
            assert e.value == pytest.approx(r.competency[i, j], nan_ok=True)


def test_explain_shows_declared_and_used_weights_and_missing_components():
    e = explain(roll_up(scores(ROWS), model()), 2, "OPS.PLATFORM")
    prac = next(c for c in e.courses if c.course == "PRAC")
    store = next(c for c in prac.components if c.component == "store")
    exam = next(c for c in prac.components if c.component == "exam")
    assert store.missing and store.used_weight == 0 and store.declared_weight == 40
    assert exam.used_weight == pytest.approx(1.0) and exam.score == 70
    assert e.formula_zh and e.formula_en
    with pytest.raises(KeyError):
        explain(roll_up(scores(ROWS), model()), 0, "NOPE")


def test_course_objectives_roll_up_from_the_components_that_evidence_them():
    plans = (
        CoursePlan(
            "P",
            (
                Component("exam", K.THEORY_EXAM, 40, objectives=("CO1",)),
                Component("task", K.PRACTICAL_TASK, 60, objectives=("CO2",)),
            ),
            objectives=(CourseObjective("CO1", ("TRADE.LAW",)), CourseObjective("CO2", ("OPS.SUPPLY",))),
        ),
    )
    sup = SupportMatrix(("P",), ("TRADE.LAW", "OPS.SUPPLY"), (("H", "M"),))
    m = compile_model(plans, sup)
    r = roll_up(ScoreTensor(("a",), ("P",), np.array([[[90.0, 60.0]]])), m)
    assert m.objective_labels == (("P", "CO1"), ("P", "CO2"))
    assert r.objective_values[0] == pytest.approx([0.9, 0.6])
    assert r.competency[0] == pytest.approx([0.9, 0.6])  # each competency from its objective's component
    assert r.course_values[0, 0] == pytest.approx(0.4 * 0.9 + 0.6 * 0.6)
    assert r.objective_cohort() == pytest.approx([0.9, 0.6])


def test_float32_and_float64_agree():
    a = roll_up(scores(ROWS, np.float32), model()).competency
    b = roll_up(scores(ROWS, np.float64), model()).competency
    assert a.dtype == np.float32
    np.testing.assert_allclose(a, b, rtol=1e-5, equal_nan=True)


def test_scores_from_records_places_each_score_and_rejects_bad_rows():
    m = model()
    recs = [("s1", "PRAC", "exam", 80), ("s1", "PRAC", "store", 90), ("s2", "ENG", "tutor", None)]
    t = scores_from_records(STUDENTS, m, recs)
    assert t.values[0, 0].tolist() == [80, 90] and np.isnan(t.values[1, 1, 1])
    for bad, msg in [
        (("s9", "PRAC", "exam", 1), "unknown student"),
        (("s1", "XX", "exam", 1), "no assessment"),
        (("s1", "PRAC", "oral", 1), "no such component"),
        (("s1", "ENG", "exam", 51), "outside"),
    ]:
        with pytest.raises(ValueError, match=msg):
            scores_from_records(STUDENTS, m, [bad])
    with pytest.raises(ValueError, match="twice"):
        scores_from_records(STUDENTS, m, recs[:1] * 2)


def test_scores_must_match_the_model():
    with pytest.raises(ValueError, match="shape"):
        ScoreTensor(STUDENTS, ("PRAC", "ENG"), np.zeros((2, 2, 2)))
    swapped = ScoreTensor(STUDENTS, ("ENG", "PRAC"), np.zeros((3, 2, 2)))
    with pytest.raises(ValueError, match="courses"):
        roll_up(swapped, model())


@pytest.mark.parametrize("method", list(Method))
def test_explain_cohort_shows_how_the_programme_value_was_reached(method):
    r = roll_up(scores(ROWS), model(method=method, threshold=0.65))
    for j, code in enumerate(r.model.competencies):
        e = explain_cohort(r, code)
        assert e.value == pytest.approx(r.cohort().values[j])
        assert e.assessed == int(np.sum(~np.isnan(r.competency[:, j])))
        if method is Method.MINIMUM:
            (d,) = [c for c in e.courses if c.decisive]
            assert d.cohort_mean == pytest.approx(min(c.cohort_mean for c in e.courses))
            assert e.value == pytest.approx(d.cohort_mean)
        elif method is Method.SHARE_OVER_THRESHOLD:
            assert e.value == pytest.approx(e.students_at_or_over / e.assessed)
        else:
            assert e.students_at_or_over is None
        assert sum(c.support_weight for c in e.courses) == pytest.approx(1.0)


def test_explain_course_lists_the_components_behind_a_course_score():
    r = roll_up(scores(ROWS), model())
    e = explain_course(r, 1, "ENG")
    assert [c.component for c in e.components] == ["exam", "tutor"]
    assert e.value * 50 == pytest.approx(r.course_scores[1, 1])
    assert e.value == pytest.approx(sum(c.used_weight * c.score / c.full_marks for c in e.components))


def test_an_empty_cohort_rolls_up_to_empty_results():
    empty = ScoreTensor((), ("PRAC", "ENG"), np.zeros((0, 2, 2)))
    r = roll_up(empty, model())
    assert r.competency.shape == (0, 2)
    assert r.at_risk() == []
