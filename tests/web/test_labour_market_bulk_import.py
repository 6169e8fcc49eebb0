"""The fast import path (decision 0014): the file cut into blocks of whole records by the C extension's csv_cuts,
parsed and prepared in the workers (posting_rows, no dict per posting), written by the importing process. It must
store exactly the rows and figures of the previous path (RowReader.rows in the importing process, posting_values +
posting_params + demand_keys), which stays behind settings.POSTINGS_IMPORT_FAST = False as the reference."""

from __future__ import annotations

import csv
import importlib.util
import io
import random
from collections import Counter
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cbec_talent.engines.demand.synth import generate_postings
from cbec_talent.labour_market import processing, reading, selectors, services
from cbec_talent.labour_market.models import DemandCount, Posting, PostingImport

pytestmark = pytest.mark.usefixtures("media_root")  # uploads go to a temporary folder

COLUMNS = [f.name for f in Posting._meta.fields if f.name not in ("id", "posting_import")]


def tricky_csv(n: int, seed: int, *, crlf: bool = False, bom: bool = False, bad_row: int | None = None) -> bytes:
    """n generated postings written by csv.writer (quoted fields with line breaks, doubled quotes), with blank
    lines, a row with an extra column, full-width text, an exact and a near duplicate, and optionally a row
    whose date cannot be read."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(["职位名称", "公司名称", "职位描述", "工作地点", "发布日期", "薪资"])
    rows = []
    for i, p in enumerate(generate_postings(n, seed=seed, target_bytes=700)):
        text = p.text
        if i % 5 == 0:
            text = f'{text}\n要求："英语流利"，ＣＥＴ－６\r\n第二段'
        date = "2024-13-45" if i == bad_row else f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        salary = ["8k-12k", "6000-8000元/月", "", "面议"][i % 4]
        row = [p.title, f"{p.company}{seed}-{i}", text, p.location, date, salary]
        if i == 7:
            row.append("extra column")
        rows.append(row)
    for i, row in enumerate(rows):
        writer.writerow(row)
        if i % 9 == 3:
            out.write("\r\n" if crlf else "\n")  # a blank line
    writer.writerow(rows[2])  # exact duplicate
    writer.writerow([rows[3][0], rows[3][1], rows[3][2] + " 不同", rows[3][3], rows[3][4], ""])  # near duplicate
    data = out.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def run(data: bytes, reference, *, keep: bool = False, name: str = "p.csv") -> PostingImport:
    imp = services.import_create(uploaded_file=SimpleUploadedFile(name, data), framework=reference)
    return services.import_start(posting_import=imp, mapping=imp.mapping, keep_good_rows=keep)


def stored(imp: PostingImport) -> tuple:
    postings = list(Posting.objects.filter(posting_import=imp).order_by("row").values_list(*COLUMNS))
    counts = sorted(DemandCount.objects.filter(posting_import=imp).values_list("kind", "code", "month", "postings"))
    summary = (imp.status, imp.rows_read, imp.rows_rejected, imp.exact_duplicates, imp.near_duplicates,
               imp.rows_stored, imp.problems)  # fmt: skip
    return summary, postings, counts


@pytest.mark.parametrize("workers", [0, 2])
@pytest.mark.parametrize("variant", ["lf", "crlf-bom"])
def test_the_fast_path_stores_exactly_the_rows_and_figures_of_the_previous_one(
    reference, settings, monkeypatch, workers, variant
):
    monkeypatch.setattr(services, "CHUNK", 7)  # many blocks, cut inside runs of multi-line records
    settings.POSTINGS_IMPORT_WORKERS = workers
    data = tricky_csv(60, seed=11, crlf="crlf" in variant, bom="bom" in variant)
    results = {}
    for fast in (False, True):
        settings.POSTINGS_IMPORT_FAST = fast
        imp = run(data, reference, name=f"{variant}-{fast}.csv")
        results[fast] = stored(imp)
        PostingImport.objects.filter(pk=imp.pk).delete()
    summary, postings, counts = results[True]
    assert results[True] == results[False]
    # independent of either path: 60 postings, 1 exact and 1 near duplicate, every line of the file numbered
    assert summary[:6] == ("done", 62, 0, 1, 1, 60)
    assert len(postings) == 60 and sum(n for kind, _c, _m, n in counts if kind == "month") == 60
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    records = [(reader.line_num, values) for values in reader if values][1:]  # the line each record ends on
    first_line, first = records[0]
    assert postings[0][:4] == (first_line, first[0], first[1], first[2].strip())


def test_a_refused_row_stores_nothing_on_the_fast_path_and_keep_good_rows_matches(reference, settings, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 5)
    settings.POSTINGS_IMPORT_WORKERS = 2
    data = tricky_csv(40, seed=12, bad_row=33)
    refused = run(data, reference, name="bad.csv")
    assert refused.status == "failed" and refused.rows_rejected == 1 and refused.problems[0]["field"] == "date"
    assert not Posting.objects.filter(posting_import=refused).exists()
    assert not DemandCount.objects.filter(posting_import=refused).exists()
    kept = {}
    for fast in (False, True):
        settings.POSTINGS_IMPORT_FAST = fast
        imp = run(data, reference, keep=True, name=f"keep-{fast}.csv")
        kept[fast] = stored(imp)
        PostingImport.objects.filter(pk=imp.pk).delete()
    assert kept[True] == kept[False] and kept[True][0][5] == 39


def test_a_second_import_skips_the_postings_stored_by_the_first(reference, settings):
    first = run(tricky_csv(30, seed=13), reference, name="a.csv")
    again = run(tricky_csv(30, seed=13), reference, name="b.csv")
    assert (first.rows_stored, again.status, again.exact_duplicates) == (30, "failed", 31)
    assert selectors.demand_counts(first.pk) == selectors.demand_counts_direct(first.pk)


def test_an_unreadable_csv_block_is_reported_like_the_previous_path(reference, settings):
    data = tricky_csv(10, seed=14) + ('"x' + "a" * 6000 + '",y\n').encode()  # a field over the csv limit below
    problems = {}
    limit = csv.field_size_limit(5000)
    try:
        for fast in (False, True):
            settings.POSTINGS_IMPORT_FAST = fast
            imp = run(data, reference, name=f"big-{fast}.csv")
            assert imp.status == "failed" and not Posting.objects.filter(posting_import=imp).exists()
            problems[fast] = imp.problems
    finally:
        csv.field_size_limit(limit)
    assert problems[True] == problems[False] and "CSV" in problems[True][0]["message"]


def random_csv(rng: random.Random, delimiter: str) -> bytes:
    """Text built from the characters that steer a csv parser: quotes, delimiters, all three line ends, blanks."""
    pieces = ['"', '""', delimiter, "\n", "\r\n", "\r", " ", "a", "职位", "Ｘ", "\t", ","]
    head = delimiter.join(["title", "company", "description"]) + "\n"
    body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 400)))
    return (head + body).encode("utf-8")


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_record_blocks_and_parse_block_read_what_rows_reads(tmp_path, delimiter):
    """Any text, however its quotes and line ends fall: the blocks' rows are rows() rows, numbers included."""
    rng = random.Random(5)
    fmt = "tsv" if delimiter == "\t" else "csv"
    path = tmp_path / f"f.{fmt}"
    for case in range(400):
        path.write_bytes(random_csv(rng, delimiter))
        try:
            expected = list(reading.RowReader(path, fmt, "utf-8-sig").rows())
        except Exception as exc:  # noqa: BLE001 - both must refuse alike
            expected = type(exc)
        reader = reading.RowReader(path, fmt, "utf-8-sig")
        assert reader.can_split()
        got = []
        try:
            for block in reader.record_blocks(rng.randint(1, 5), rng.randint(1, 60), read_bytes=rng.randint(1, 50)):
                got += reading.parse_block(block)
        except Exception as exc:  # noqa: BLE001
            got = type(exc)
        assert got == expected, (case, path.read_bytes())


def test_gbk_tsv_blocks_read_what_rows_reads(tmp_path):
    path = tmp_path / "g.tsv"
    lines = ["职位名称\t公司\t职位描述"]
    lines += [f"跨境电商运营{i}\t深圳公司{i}\t负责亚马逊店铺，英语四级" for i in range(300)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    expected = list(reading.RowReader(path, "tsv", "gb18030").rows())
    reader = reading.RowReader(path, "tsv", "gb18030")
    got = [row for block in reader.record_blocks(17, 10_000, read_bytes=4096) for row in reading.parse_block(block)]
    assert got == expected and len(got) == 300 and got[0][0] == 2


def test_posting_rows_equal_the_dict_per_posting_path(reference):
    table = processing.framework_keyword_table(reference)
    mapping = {"title": "t", "company": "c", "description": "d", "location": "l", "date": "p", "salary": "s"}
    raws = [
        (i + 2, {"t": p.title, "c": f"{p.company}{i}", "d": p.text, "l": p.location, "p": p.posted,
                 "s": ["", "8k"][i % 2]})
        for i, p in enumerate(generate_postings(300, seed=21))
    ]  # fmt: skip
    rows = [processing.check_row(n, raw, mapping)[0] for n, raw in raws]
    results = processing.tag_rows(rows, table)
    for _ in range(2):  # the second time from the cached JSON pieces
        params, demand = processing.posting_rows(rows, results)
        values = processing.posting_values(rows, results)
        assert params == [processing.posting_params(v) for v in values]
        assert demand == Counter(k for v in values for k in processing.demand_keys(v))
        assert [processing.params_demand_keys(p) for p in params] == [processing.demand_keys(v) for v in values]


def test_normalise_is_the_same_with_and_without_the_c_extension(monkeypatch):
    rng = random.Random(3)
    alphabet = [chr(c) for c in [*range(0x20, 0x7F), *range(0xFF01, 0xFF60), 0x3000, 0xA0, 0x85, 0x2028, 0x130]]
    alphabet += ["É", "Σ", "ς", "K", "\t", "\n", "\x1c", "职", "İ", "𝐀", "ß"]
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    with_c = [processing.normalise(s) for s in samples]
    monkeypatch.setattr(processing, "_c_normalise", None)
    assert with_c == [processing.normalise(s) for s in samples]


def test_a_line_that_does_not_decode_is_named_like_on_the_previous_path(reference, settings, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 5)
    data = tricky_csv(40, seed=15)
    at = data.rindex(b"\n", 0, len(data) - 200)
    data = data[:at] + b"\n\xc3\x28 bad,line\n" + data[at + 1 :]  # an invalid UTF-8 sequence late in the file
    problems = {}
    for fast in (False, True):
        settings.POSTINGS_IMPORT_FAST = fast
        imp = run(data, reference, name=f"undecodable-{fast}.csv")
        assert imp.status == "failed" and not Posting.objects.filter(posting_import=imp).exists()
        problems[fast] = imp.problems
    assert problems[True] == problems[False]
    line = data[: data.index(b"\xc3\x28")].count(b"\n") + 1
    assert problems[True][0]["row"] == line and "UTF-8" in problems[True][0]["message"]


def _esco_tests():
    spec = importlib.util.spec_from_file_location("esco_tests", Path(__file__).with_name("test_labour_market_esco.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


esco_skills = _esco_tests().esco_skills  # the ESCO tests' fixture: about 400 real ESCO skills stored


def test_with_esco_skills_stored_the_fast_path_stores_the_same_esco_tags(reference, settings, monkeypatch, esco_skills):
    monkeypatch.setattr(services, "CHUNK", 7)
    data = tricky_csv(40, seed=16)
    results = {}
    for fast in (False, True):
        settings.POSTINGS_IMPORT_FAST = fast
        imp = run(data, reference, name=f"esco-{fast}.csv")
        results[fast] = stored(imp)
        PostingImport.objects.filter(pk=imp.pk).delete()
    assert results[True] == results[False]
    tags = [p[COLUMNS.index("tags")] for p in results[True][1]]
    assert any("esco" in t for t in tags) and any(kind == "esco" for kind, *_rest in results[True][2])
