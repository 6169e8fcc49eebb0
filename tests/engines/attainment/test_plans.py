"""Assessment plans: weights sum as declared, college-wide rules, consistency with the support matrix."""

import pytest

from cbec_talent.engines.attainment import (
    Component,
    ComponentKind,
    CourseObjective,
    CoursePlan,
    PlanError,
    PlanRules,
    SupportMatrix,
    check_plan,
    check_support,
    compile_model,
)

K = ComponentKind


def plan(*weights_kinds, declared=100.0, course="CBEC101", objectives=()):
    comps = tuple(Component(f"k{i}", kind, w) for i, (w, kind) in enumerate(weights_kinds))
    return CoursePlan(course, comps, objectives=objectives, declared_total=declared)


def codes(findings):
    return [f.code for f in findings]


def test_sound_plan_has_no_findings():
    p = plan((50, K.THEORY_EXAM), (30, K.PLATFORM_OPERATION), (20, K.ENTERPRISE_TUTOR))
    assert check_plan(p, PlanRules(min_practice_share=0.4, max_component_share=0.5)) == []


@pytest.mark.parametrize("declared, weights", [(100.0, (60, 30)), (1.0, (0.6, 0.5))])
def test_weights_not_summing_as_declared_are_an_error_naming_both_sums(declared, weights):
    p = plan((weights[0], K.THEORY_EXAM), (weights[1], K.PRACTICAL_TASK), declared=declared)
    (f,) = check_plan(p)
    assert f.code == "WEIGHT_SUM" and f.course == "CBEC101"
    assert f"{sum(weights):g}" in f.message_en and f"{declared:g}" in f.message_en
    assert f"{declared:g}" in f.message_zh and "权重" in f.message_zh


def test_fractional_weights_declared_as_one_pass():
    p = plan((0.1, K.THEORY_EXAM), (0.2, K.PRACTICAL_TASK), (0.7, K.SIMULATION), declared=1.0)
    assert check_plan(p) == []


def test_practice_share_rule_flags_only_plans_below_the_floor():
    rules = PlanRules(min_practice_share=0.4)
    at_floor = plan((60, K.THEORY_EXAM), (40, K.SIMULATION))
    below = plan((61, K.THEORY_EXAM), (39, K.SIMULATION))
    assert check_plan(at_floor, rules) == []
    (f,) = check_plan(below, rules)
    assert f.code == "PRACTICE_SHARE"
    assert "39.0%" in f.message_en and "40.0%" in f.message_en
    assert "39.0%" in f.message_zh and "实践" in f.message_zh


def test_certification_exam_is_not_practice_unless_the_college_says_so():
    p = plan((50, K.THEORY_EXAM), (50, K.CERTIFICATION_EXAM))
    assert codes(check_plan(p, PlanRules(min_practice_share=0.4))) == ["PRACTICE_SHARE"]
    kinds = frozenset({K.CERTIFICATION_EXAM})
    assert check_plan(p, PlanRules(min_practice_share=0.4, practice_kinds=kinds)) == []


def test_largest_component_and_required_kinds():
    p = plan((70, K.THEORY_EXAM), (30, K.PRACTICAL_TASK))
    found = check_plan(p, PlanRules(max_component_share=0.6, require_kinds=frozenset({K.ENTERPRISE_TUTOR})))
    assert codes(found) == ["COMPONENT_SHARE", "REQUIRED_KIND"]
    assert found[0].component == "k0"
    assert "企业导师评价" in found[1].message_zh and "enterprise tutor" in found[1].message_en


def test_structural_errors():
    assert codes(check_plan(CoursePlan("X", ()))) == ["EMPTY_PLAN"]
    dup = CoursePlan("X", (Component("a", K.THEORY_EXAM, 50), Component("a", K.SIMULATION, 50)))
    assert codes(check_plan(dup)) == ["DUPLICATE_COMPONENT"]
    neg = plan((120, K.THEORY_EXAM), (-20, K.SIMULATION))
    assert "BAD_WEIGHT" in codes(check_plan(neg))


def test_objectives_must_be_declared_and_assessed():
    objs = (CourseObjective("CO1"), CourseObjective("CO2"))
    p = CoursePlan(
        "X",
        (Component("a", K.THEORY_EXAM, 50, objectives=("CO1",)), Component("b", K.SIMULATION, 50, objectives=("CO3",))),
        objectives=objs,
    )
    assert codes(check_plan(p)) == ["UNKNOWN_OBJECTIVE", "OBJECTIVE_NOT_ASSESSED"]


def test_components_named_against_the_matrix():
    sup = SupportMatrix(("A", "B"), ("OPS.PLATFORM", "LANG.EN"), (("H", ""), ("", "M")))
    a = CoursePlan("A", (Component("x", K.PLATFORM_OPERATION, 100, competencies=("LANG.EN",)),))
    found = check_support([a], sup)
    assert codes(found) == ["NOT_IN_MATRIX", "NO_PLAN"]
    assert found[0].course == "A" and "LANG.EN" in found[0].message_zh
    assert found[1].course == "B"


def test_compile_refuses_unsound_plans_with_the_findings():
    sup = SupportMatrix(("A",), ("OPS.PLATFORM",), (("H",),))
    bad = CoursePlan("A", (Component("x", K.THEORY_EXAM, 70), Component("y", K.SIMULATION, 20)))
    with pytest.raises(PlanError) as err:
        compile_model([bad], sup)
    assert codes(err.value.findings) == ["WEIGHT_SUM"]
    with pytest.raises(PlanError):
        compile_model([], sup)
