"""The optimiser constraint "prepare certificate X at level Y": every module of the certificate examined at
that level needs a chosen course that prepares it (and its minimum hours); an impossible one is a named
conflict, not a silent drop."""

from cbec_talent.engines.curriculum import (
    Bounds,
    CertificateModuleNeed,
    Course,
    OptimiserRequest,
    Support,
    Text,
    optimise,
    plan_violations,
)


def _course(code, credits=2.0, sup=(("K0", "H"),)):
    return Course(
        code,
        Text(code, code),
        "A",
        credits,
        16 * int(credits),
        0,
        (1, 2),
        supports=tuple(Support(k, s) for k, s in sup),
    )


# D teaches nothing the weights value, so the unconstrained optimum never takes it
CATALOGUE = (_course("A"), _course("B"), _course("C"), _course("D", sup=(("K9", "L"),)))
BASE = {"catalogue": CATALOGUE, "semesters": 2, "weights": {"K0": 1.0}, "total_credits": Bounds(None, 6)}


def test_the_preparing_course_is_chosen_when_the_certificate_is_required():
    free = optimise(OptimiserRequest(**BASE))
    assert "D" not in {p.code for p in free.plan}
    need = CertificateModuleNeed("1X.B2C-DATA", "中级", "B2C.M3", ("D",), (16.0,), 16.0)
    req = OptimiserRequest(**BASE, certificate_modules=(need,))
    res = optimise(req)
    assert res.proven_optimal and "D" in {p.code for p in res.plan}
    assert plan_violations(req, res.plan) == []
    assert plan_violations(req, free.plan) == ["certificate_modules"]
    assert res.objective < free.objective  # the certificate costs coverage, and the plan says so


def test_a_module_no_course_prepares_is_a_named_conflict():
    unprepared = CertificateModuleNeed("T-KJDZSW-0001-2023", "高级", "KJDZSW.M4", ())
    res = optimise(OptimiserRequest(**BASE, certificate_modules=(unprepared,)))
    assert res.status == "infeasible"
    assert res.conflict.groups == ("certificate_modules",)
    assert any("KJDZSW.M4" in m for m in res.conflict.members)


def test_hours_short_of_the_minimum_conflict_with_the_credit_budget():
    need = CertificateModuleNeed("X", "初级", "M1", ("C", "D"), (8.0, 8.0), 16.0)
    tight = optimise(OptimiserRequest(**{**BASE, "total_credits": Bounds(None, 2)}, certificate_modules=(need,)))
    assert tight.status == "infeasible"
    assert set(tight.conflict.groups) == {"certificate_modules", "total_credits"}
