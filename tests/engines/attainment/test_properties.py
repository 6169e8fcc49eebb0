"""Property tests (Hypothesis) on random programmes: scores stay in the scale, raising a score never lowers
any attainment (every method, both missing-score policies), and the vectorised roll-up equals a plain
per-student loop written straight from the definitions."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_talent.engines.attainment import (
    Component,
    ComponentKind,
    CoursePlan,
    Method,
    MissingPolicy,
    RollupConfig,
    ScoreTensor,
    SupportMatrix,
    compile_model,
    explain,
    roll_up,
)

EPS = 1e-9


@st.composite
def programmes(draw):
    n_p = draw(st.integers(1, 4))
    skills = tuple(f"P{j}" for j in range(n_p))
    n_c = draw(st.integers(1, 4))
    plans, rows = [], []
    for c in range(n_c):
        n_k = draw(st.integers(1, 4))
        parts = draw(st.lists(st.integers(0, 9), min_size=n_k, max_size=n_k).filter(lambda x: sum(x) > 0))
        declared = draw(st.sampled_from([1.0, 100.0]))
        comps = tuple(
            Component(
                f"k{k}",
                draw(st.sampled_from(list(ComponentKind))),
                parts[k] / sum(parts) * declared,
                competencies=tuple(draw(st.lists(st.sampled_from(skills), max_size=2, unique=True))),
            )
            for k in range(n_k)
        )
        plans.append(
            CoursePlan(
                f"C{c}",
                comps,
                declared_total=declared,
                full_marks=draw(st.sampled_from([1.0, 5.0, 50.0, 100.0, 150.0])),
            )
        )
        rows.append(tuple(draw(st.lists(st.sampled_from(["", "L", "M", "H"]), min_size=n_p, max_size=n_p))))
    support = SupportMatrix(tuple(p.course for p in plans), skills, tuple(rows))
    config = RollupConfig(
        method=draw(st.sampled_from(list(Method))),
        missing=draw(st.sampled_from(list(MissingPolicy))),
        threshold=draw(st.floats(0.0, 1.0)),
    )
    model = compile_model(plans, support, config)
    n_s = draw(st.integers(1, 5))
    fractions = draw(st.lists(st.floats(0.0, 1.0), min_size=n_s * n_c * model.slots, max_size=n_s * n_c * model.slots))
    holes = draw(st.lists(st.booleans(), min_size=len(fractions), max_size=len(fractions)))
    values = np.array(fractions).reshape(n_s, n_c, model.slots) * model.full_marks[None, :, None]
    values[np.array(holes).reshape(values.shape)] = np.nan
    for c, p in enumerate(plans):
        values[:, c, len(p.components) :] = np.nan
    scores = ScoreTensor(tuple(f"s{i}" for i in range(n_s)), model.courses, values)
    return model, scores


def in_unit(a):
    a = np.asarray(a, dtype=float)
    return bool(np.all(np.isnan(a) | ((a >= -EPS) & (a <= 1 + EPS))))


@settings(max_examples=200, deadline=None)
@given(programmes())
def test_weights_summing_as_declared_keep_every_number_inside_the_scale(prog):
    model, scores = prog
    r = roll_up(scores, model)
    full = model.full_marks
    cs = r.course_scores
    assert np.all(np.isnan(cs) | ((cs >= -EPS) & (cs <= full + EPS * full)))
    assert in_unit(r.group_values) and in_unit(r.competency) and in_unit(r.cohort().values)
    if model.config.missing is MissingPolicy.ZERO:
        assert not np.isnan(r.course_scores).any()


@settings(max_examples=200, deadline=None)
@given(programmes(), st.data())
def test_raising_any_component_score_never_lowers_any_attainment(prog, data):
    model, scores = prog
    present = [(i, c, k) for i, c, k in zip(*np.nonzero(~np.isnan(scores.values)), strict=True)]
    if not present:
        return
    i, c, k = data.draw(st.sampled_from(present))
    full = model.full_marks[c]
    raised = scores.values.copy()
    raised[i, c, k] += data.draw(st.floats(0.0, 1.0)) * (full - raised[i, c, k])
    before = roll_up(scores, model)
    after = roll_up(ScoreTensor(scores.students, scores.courses, raised), model)
    for old, new in [
        (before.group_values, after.group_values),
        (before.competency, after.competency),
        (before.cohort().values, after.cohort().values),
    ]:
        assert np.array_equal(np.isnan(old), np.isnan(new))
        ok = np.isnan(old) | (new >= old - 1e-12)
        assert ok.all()


def reference(model, scores):
    """Per student, per competency, straight from the definitions (pure Python loops)."""
    cfg = model.config
    n_s, n_p = scores.values.shape[0], len(model.competencies)
    out = np.full((n_s, n_p), np.nan)
    for i in range(n_s):
        for j in range(n_p):
            pairs = []
            for g in np.flatnonzero(model.support[:, j] > 0):
                c = model.group_course[g]
                plan = model.plans[c]
                num = den = 0.0
                for kk, comp in enumerate(plan.components):
                    if not model.group_mask[g, kk]:
                        continue
                    x = scores.values[i, c, kk]
                    if math.isnan(x):
                        if cfg.missing is MissingPolicy.RENORMALISE:
                            continue
                        x = 0.0
                    num += comp.weight * x / plan.full_marks
                    den += comp.weight
                if den > 0:
                    pairs.append((model.support[g, j], num / den))
            if pairs:
                if cfg.method is Method.MINIMUM:
                    out[i, j] = min(v for _, v in pairs)
                else:
                    out[i, j] = sum(w * v for w, v in pairs) / sum(w for w, _ in pairs)
    return out


@settings(max_examples=200, deadline=None)
@given(programmes())
def test_vectorised_roll_up_equals_the_per_student_loop(prog):
    model, scores = prog
    r = roll_up(scores, model)
    np.testing.assert_allclose(r.competency, reference(model, scores), rtol=1e-9, atol=1e-12, equal_nan=True)
    for i in range(len(scores.students)):
        for j, code in enumerate(model.competencies):
            e = explain(r, i, code)
            assert math.isnan(e.value) == math.isnan(r.competency[i, j])
