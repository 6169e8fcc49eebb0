import copy

import pytest
import yaml

from cbec_talent.engines.curriculum import ProgrammeDocumentError, load_programme_document


@pytest.fixture()
def raw(paper000_path):
    return yaml.safe_load(paper000_path.read_text(encoding="utf-8"))


def test_sample_loads_with_courses_positions_and_targets(paper000):
    assert paper000.semesters == 8 and 40 <= len(paper000.courses) <= 60
    assert {p.code for p in paper000.positions} >= {"POS.04", "POS.06", "POS.11"}
    assert paper000.targets.total_credits.min == paper000.targets.total_credits.max == 150
    assert all(c.name.zh and c.name.en for c in paper000.courses)
    assert {c.teaching_mode for c in paper000.courses} == {"school", "enterprise", "teaching_factory"}


def test_dict_and_text_inputs_give_the_same_document(raw, paper000, paper000_path):
    assert load_programme_document(copy.deepcopy(raw)) == paper000
    assert load_programme_document(paper000_path.read_text(encoding="utf-8")) == paper000


def test_errors_name_row_and_field_and_are_all_reported(raw):
    raw["courses"][3]["credits"] = "three"
    raw["courses"][5]["supports"] = {"LANG.EN": "X"}
    raw["courses"][7]["module"] = "NOPE"
    raw["courses"][8]["semesters"] = [9]
    with pytest.raises(ProgrammeDocumentError) as exc:
        load_programme_document(raw)
    where = {(p.row, p.field) for p in exc.value.problems}
    code3, code5 = raw["courses"][3]["code"], raw["courses"][5]["code"]
    assert (f"courses[3] ({code3})", "credits") in where
    assert (f"courses[5] ({code5})", "supports.LANG.EN") in where
    assert any(f == "module" and r.startswith("courses[7]") for r, f in where)
    assert any(f == "semesters" and r.startswith("courses[8]") for r, f in where)
    assert all(p.message.zh and p.message.en for p in exc.value.problems)


def test_unknown_prerequisite_and_bad_bounds_are_rejected(raw):
    raw["courses"][0]["prerequisites"] = ["ZZ99"]
    raw["targets"]["theory_share"] = {"min": 0.8, "max": 0.5}
    with pytest.raises(ProgrammeDocumentError) as exc:
        load_programme_document(raw)
    fields = {p.field for p in exc.value.problems}
    assert {"prerequisites", "theory_share"} <= fields


def test_unreadable_yaml_is_a_document_error():
    with pytest.raises(ProgrammeDocumentError):
        load_programme_document("courses: [unclosed\n")


def test_sample_path_points_at_the_shipped_file(paper000_path):
    from cbec_talent.engines.curriculum import sample_programme_path

    assert sample_programme_path() == paper000_path
