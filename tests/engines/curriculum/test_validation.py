import dataclasses

import pytest

from cbec_talent.engines.curriculum import Bounds, Support, semester_loads, validate_programme


def _with_course(doc, code, **changes):
    return dataclasses.replace(
        doc, courses=tuple(dataclasses.replace(c, **changes) if c.code == code else c for c in doc.courses)
    )


def _rules(doc):
    return {i.rule for i in validate_programme(doc) if i.severity == "error"}


def test_sample_programme_passes_every_rule(paper000):
    assert validate_programme(paper000) == []


@pytest.mark.parametrize(
    "rule,target,value",
    [
        ("credits_total", "total_credits", Bounds(152, 160)),
        ("hours_total", "total_hours", Bounds(None, 2700)),
        ("theory_share", "theory_share", Bounds(0.65, 0.8)),
        ("semester_load", "semester_credits", Bounds(None, 24)),
    ],
)
def test_target_rules_fail_when_targets_are_missed(paper000, rule, target, value):
    doc = dataclasses.replace(paper000, targets=dataclasses.replace(paper000.targets, **{target: value}))
    issues = [i for i in validate_programme(doc) if i.rule == rule]
    assert issues and all(i.message.zh and i.message.en for i in issues)
    if rule == "semester_load":
        over = {s: cr for s, (cr, _) in semester_loads(doc).items() if cr > 24}
        assert {i.subject for i in issues} == {f"semester {s}" for s in over} != set()
        first = min(over)
        assert f"{over[first]:g}" in issues[0].message.en and "24" in issues[0].message.zh


def test_theory_share_message_shows_the_computed_share(paper000):
    doc = dataclasses.replace(paper000, targets=dataclasses.replace(paper000.targets, theory_share=Bounds(0.62)))
    (issue,) = [i for i in validate_programme(doc) if i.rule == "theory_share"]
    assert "61.1%" in issue.message.en and "61.1%" in issue.message.zh


def test_prerequisite_scheduled_after_its_dependant_fails(paper000):
    doc = _with_course(paper000, "BS11", semesters=(5,))  # SP01 (semester 4) needs BS11
    issues = [i for i in validate_programme(doc) if i.rule == "prerequisites"]
    assert {i.subject for i in issues} >= {"SP01"}
    assert "BS11" in issues[0].message.en and "BS11" in issues[0].message.zh


def test_prerequisite_in_the_same_semester_fails_and_earlier_passes(paper000):
    assert "prerequisites" in _rules(_with_course(paper000, "SP12", semesters=(5,)))  # PR06 is in 5
    assert "prerequisites" not in _rules(_with_course(paper000, "SP12", semesters=(3,)))


def test_module_minimum(paper000):
    targets = dataclasses.replace(paper000.targets, module_min_credits={"SP": 35})
    assert "module_minimum" in _rules(dataclasses.replace(paper000, targets=targets))
    targets = dataclasses.replace(paper000.targets, module_min_credits={"SP": 34})
    assert "module_minimum" not in _rules(dataclasses.replace(paper000, targets=targets))


def test_competency_without_high_strength_course_fails(paper000):
    # TECH.DESIGN (POS.04) is H only in SP12 and PR06
    doc = _with_course(paper000, "SP12", supports=(Support("TECH.DESIGN", "M"),))
    assert "high_support" not in _rules(doc)
    doc = _with_course(doc, "PR06", supports=(Support("TECH.DESIGN", "M"),))
    issues = [i for i in validate_programme(doc) if i.rule == "high_support"]
    assert [i.subject for i in issues] == ["TECH.DESIGN"] and "POS.04" in issues[0].message.en


def test_orphan_courses(paper000):
    doc = _with_course(paper000, "GC03", supports=())
    (err,) = [i for i in validate_programme(doc) if i.rule == "orphan_course"]
    assert (err.subject, err.severity) == ("GC03", "error")
    doc = _with_course(paper000, "GC03", supports=(Support("TRADE.RISK", "L"),))
    (warn,) = [i for i in validate_programme(doc) if i.rule == "orphan_course"]
    assert warn.severity == "warning"
