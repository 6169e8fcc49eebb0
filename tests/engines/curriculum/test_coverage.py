import dataclasses

from cbec_talent.engines.curriculum import Support, coverage


def test_all_requirements_covered_in_sample(paper000):
    report = coverage(paper000)
    required = {q.competency for p in paper000.positions for q in p.requirements}
    assert set(report.competencies) == required
    assert report.uncovered == ()
    assert len(report.matrix) == len(report.competencies) and all(len(r) == 8 for r in report.matrix)


def test_matrix_rows_match_course_links_and_semesters(paper000):
    report = coverage(paper000, position="POS.11")
    row = dict(zip(report.competencies, report.matrix, strict=True))["OPS.SUPPLY"]
    entry = next(e for e in report.entries if e.competency == "OPS.SUPPLY")
    by_code = {c.code: c for c in paper000.courses}
    assert set(entry.semesters) == {s for c in entry.courses for s in by_code[c].semesters}
    assert sum(row) == entry.strength and entry.level == "master" and entry.max_strength == "H"
    assert all(row[s - 1] > 0 for s in entry.semesters)


def test_direction_scope_selects_its_positions(paper000):
    da = coverage(paper000, direction="DIR.DA")
    assert {p for e in da.entries for p in e.positions} == {"POS.05"}
    assert "DATA.ANALYSIS" in da.competencies and "OPS.SUPPLY" not in da.competencies


def test_removing_links_makes_requirements_weak_then_uncovered(paper000):
    def strip(doc, code, keep):
        return dataclasses.replace(
            doc,
            courses=tuple(
                dataclasses.replace(c, supports=tuple(s for s in c.supports if s.competency != code) + keep)
                for c in doc.courses
            ),
        )

    weak = strip(paper000, "OPS.SUPPLY", ())
    weak = dataclasses.replace(
        weak,
        courses=tuple(
            dataclasses.replace(c, supports=c.supports + (Support("OPS.SUPPLY", "M"),)) if c.code == "SP02" else c
            for c in weak.courses
        ),
    )
    (e,) = [e for e in coverage(weak, position="POS.11").uncovered]
    assert (e.competency, e.status, e.max_strength) == ("OPS.SUPPLY", "weak", "M")
    (e,) = coverage(strip(paper000, "OPS.SUPPLY", ()), position="POS.11").uncovered
    assert (e.competency, e.status, e.semesters) == ("OPS.SUPPLY", "uncovered", ())


def test_reports_for_every_position_and_direction(paper000):
    from cbec_talent.engines.curriculum import coverage_by_scope

    reports = coverage_by_scope(paper000)
    codes = {p.code for p in paper000.positions} | {d for p in paper000.positions for d in p.directions}
    assert set(reports) == codes
    for code, rep in reports.items():
        assert rep.scope == code and rep.competencies
