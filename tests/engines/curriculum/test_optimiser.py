import dataclasses
import itertools
import random

import pytest

from cbec_talent.engines.curriculum import (
    Bounds,
    Course,
    OptimiserRequest,
    PlannedCourse,
    Support,
    Text,
    greedy_plan,
    optimise,
    plan_objective,
    plan_violations,
    weights_from_demand,
    weights_from_positions,
)
from cbec_talent.engines.curriculum.generate import generate_request


def _small(seed: int, n: int = 7, semesters: int = 3) -> OptimiserRequest:
    rnd = random.Random(seed)
    comps = [f"K{k}" for k in range(6)]
    courses = []
    for i in range(n):
        first = rnd.randint(1, semesters)
        sems = tuple(range(first, min(semesters, first + rnd.randint(0, 1)) + 1))
        earlier = [c.code for c in courses if min(c.semesters) < first]
        pre = tuple(rnd.sample(earlier, k=min(len(earlier), rnd.choice([0, 0, 1])))) if earlier else ()
        credits = rnd.choice([1, 2, 3])
        theory = 16 * credits - rnd.choice([0, 8, 16])
        sup = tuple(Support(k, rnd.choice("HML")) for k in rnd.sample(comps, k=rnd.randint(1, 3)))
        courses.append(
            Course(
                f"C{i}",
                Text(f"课{i}", f"C{i}"),
                rnd.choice("AB"),
                float(credits),
                max(theory, 0),
                16 * credits - max(theory, 0),
                sems,
                prerequisites=pre,
                supports=sup,
            )
        )
    return OptimiserRequest(
        tuple(courses),
        semesters,
        {k: rnd.uniform(0.5, 3) for k in comps},
        total_credits=Bounds(4, 9),
        theory_share=Bounds(0.4, 0.9),
        semester_credits=Bounds(None, 5),
        module_min_credits={"A": 2},
    )


def _brute_force(req: OptimiserRequest) -> float:
    best = float("-inf")
    options = [(None, *c.semesters) for c in req.catalogue]
    for choice in itertools.product(*options):
        plan = [PlannedCourse(c.code, s) for c, s in zip(req.catalogue, choice, strict=True) if s is not None]
        if not plan_violations(req, plan):
            best = max(best, plan_objective(req, [p.code for p in plan]))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_optimum_equals_brute_force_on_small_instances(seed):
    req = _small(seed)
    best = _brute_force(req)
    res = optimise(req)
    if best == float("-inf"):
        assert res.status == "infeasible" and res.conflict is not None
        return
    assert res.proven_optimal and res.status == "optimal"
    assert plan_violations(req, res.plan) == []
    assert res.objective == pytest.approx(best, abs=1e-6)
    assert res.bound == pytest.approx(best, abs=1e-6)


def test_generated_plan_honours_required_courses_and_prerequisite_order():
    req = generate_request(60, 8, 40, seed=3, required=6)
    res = optimise(req)
    assert res.proven_optimal and plan_violations(req, res.plan) == []
    sem = {p.code: p.semester for p in res.plan}
    assert set(req.required) <= set(sem)
    by_code = {c.code: c for c in req.catalogue}
    for code, s in sem.items():
        assert all(p in sem and sem[p] < s for p in by_code[code].prerequisites)
        assert s in by_code[code].semesters
    assert res.objective >= greedy_plan(req).objective - 1e-9


def test_binding_constraints_are_named_with_reasons():
    base = generate_request(60, 8, 40, seed=3, required=6)
    req = OptimiserRequest(
        base.catalogue,
        8,
        base.weights,
        total_credits=Bounds(None, 60),
        semester_credits=Bounds(None, 9),
        required=base.required,
    )
    res = optimise(req)
    assert res.proven_optimal and res.totals["credits"] == pytest.approx(60)
    binding = {b.name: b for b in res.binding}
    tc = binding["total credits"]
    assert tc.group == "total_credits" and tc.limit == 60 and "60" in tc.why.en and "60" in tc.why.zh
    blocked = tc.why.en.split("adding ")[1].split(" ")[0]
    assert blocked not in {p.code for p in res.plan}
    assert plan_objective(req, [p.code for p in res.plan] + [blocked]) > res.objective
    by_code = {c.code: c for c in req.catalogue}
    for b in res.binding:
        if b.group == "semester_load":
            s = int(b.name.split()[1])
            assert sum(by_code[p.code].credits for p in res.plan if p.semester == s) == pytest.approx(9)
    assert {f"required:{c}" for c in req.required} <= set(binding)


def test_infeasible_request_names_the_conflicting_groups():
    req = _small(1)
    heavy = tuple(c.code for c in req.catalogue[:4])
    bad = OptimiserRequest(
        req.catalogue,
        req.semesters,
        req.weights,
        total_credits=Bounds(None, 2),
        required=heavy,
        semester_credits=Bounds(None, 20),
    )
    res = optimise(bad)
    assert res.status == "infeasible" and res.plan == ()
    assert set(res.conflict.groups) == {"required_courses", "total_credits"}
    assert "required courses" in res.conflict.message.en and "必修课程" in res.conflict.message.zh
    named = [m.split(":", 1)[1] for m in res.conflict.members]
    credits = {c.code: c.credits for c in req.catalogue}
    assert set(named) <= set(heavy) and sum(credits[c] for c in named) > 2
    assert all(sum(credits[c] for c in named if c != d) <= 2 for d in named)  # minimal
    assert all(c in res.conflict.message.en for c in named)


def test_progress_callback_reports_start_and_end():
    seen = []
    optimise(_small(2), progress=lambda f, m: seen.append((f, m)))
    assert seen[0][0] == 0.0 and seen[-1][0] == 1.0 and all(0 <= f <= 1 for f, _ in seen)


def test_weights_from_positions_and_demand(paper000):
    w = weights_from_positions(paper000.positions, direction="DIR.OP")
    assert w["OPS.PLATFORM"] == 3 + 2 and "DATA.ANALYSIS" not in w  # POS.11 master + POS.04 apply
    d = weights_from_demand({"A": 3, "B": 1, "C": 0})
    assert d == {"A": 75.0, "B": 25.0}


def _course(code, sems, credits=2.0, module="A", pre=(), sup=(("K0", "H"),)):
    return Course(
        code,
        Text(code, code),
        module,
        credits,
        16 * int(credits),
        0,
        sems,
        prerequisites=pre,
        supports=tuple(Support(k, s) for k, s in sup),
    )


def test_prerequisite_offered_too_late_conflicts_with_the_required_dependant():
    cat = (_course("A", (3,)), _course("B", (2,), pre=("A",)), _course("C", (1, 2)))
    res = optimise(OptimiserRequest(cat, 3, {"K0": 1.0}, required=("B",), total_credits=Bounds(None, 10)))
    assert res.status == "infeasible"
    assert set(res.conflict.groups) == {"required_courses", "prerequisites"}
    assert res.conflict.members == ("required:B",)


def test_module_minimum_against_total_credits_and_relaxed_request_is_feasible():
    cat = tuple(_course(f"M{i}", (1, 2), module="A" if i < 3 else "B") for i in range(6))
    req = OptimiserRequest(cat, 2, {"K0": 1.0}, total_credits=Bounds(None, 6), module_min_credits={"A": 4, "B": 4})
    res = optimise(req)
    assert res.status == "infeasible"
    assert set(res.conflict.groups) == {"total_credits", "module_minimums"}
    relaxed = OptimiserRequest(cat, 2, {"K0": 1.0}, total_credits=Bounds(None, 8), module_min_credits={"A": 4, "B": 4})
    ok = optimise(relaxed)
    assert ok.proven_optimal and plan_violations(relaxed, ok.plan) == []


def test_sample_programme_as_request_is_reproduced_and_optimal(paper000):
    from cbec_talent.engines.curriculum import request_from_programme

    req = request_from_programme(paper000)
    res = optimise(req)
    assert res.proven_optimal and plan_violations(req, res.plan) == []
    assert {p.code for p in res.plan} == {c.code for c in paper000.courses}  # 150 credits need them all
    assert res.totals["credits"] == 150 and res.totals["hours"] == 2768


def test_high_support_requirement_conflicts_when_its_only_h_courses_cannot_fit(paper000):
    from cbec_talent.engines.curriculum import request_from_programme

    req = request_from_programme(paper000)
    # TECH.DESIGN has H links only in SP12 and PR06 (electives here); forbid room for them
    cat = tuple(dataclasses.replace(c, required=c.code not in {"SP12", "PR06"}) for c in paper000.courses)
    tight = dataclasses.replace(
        request_from_programme(paper000, cat),
        total_credits=Bounds(None, 145),
        total_hours=None,
        module_min_credits={},
    )
    res = optimise(tight)
    assert res.status == "infeasible"
    assert set(res.conflict.groups) == {"required_courses", "total_credits", "high_support"}
    assert "high-strength course for TECH.DESIGN" in res.conflict.members
    assert req.high_support and "TECH.DESIGN" in req.high_support


def test_time_limit_reports_the_remaining_gap_not_a_false_optimum():
    req = dataclasses.replace(generate_request(500, 8, 120, seed=2), time_limit=0.05)
    res = optimise(req)
    assert not res.proven_optimal and res.status in ("feasible", "time_limit")
    if res.status == "feasible":
        assert res.gap > 0 and res.bound > res.objective and plan_violations(req, res.plan) == []
    else:
        assert res.plan == () and res.conflict is None
