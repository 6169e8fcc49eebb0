"""The dashboard reads pre-aggregated demand counts (DemandCount, written by the import): they must equal a
direct count over the stored postings whatever happens (several imports, duplicates, a re-tag, a refused import,
worker processes), and the dashboard's number of queries must not grow with the data."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cbec_talent.engines.demand.synth import generate_postings
from cbec_talent.labour_market import selectors, services
from cbec_talent.labour_market.models import DemandCount, Posting, PostingImport
from cbec_talent.labour_market.processing import normalise
from cbec_talent.labour_market.selectors import KINDS

pytestmark = pytest.mark.usefixtures("media_root")  # uploads go to a temporary folder


def postings_csv(n: int, seed: int, *, bad_row: int | None = None, duplicate_of: int | None = None) -> bytes:
    """n generated postings (unique companies), months spread over 2024; optionally a row with an unreadable
    date, and a copy of an earlier row (an exact duplicate)."""
    lines = ["职位名称,公司,职位描述,工作地点,发布日期"]
    for i, p in enumerate(generate_postings(n, seed=seed, target_bytes=600)):
        date = "2024-13-45" if i == bad_row else f"2024-{1 + (i * 5 + seed) % 12:02d}-{1 + i % 28:02d}"
        text = p.text.replace('"', "'")
        lines.append(f'{p.title},公司{seed}-{i},"{text}",{p.location},{date}')
    if duplicate_of is not None:
        lines.append(lines[1 + duplicate_of])
    return ("\n".join(lines) + "\n").encode("utf-8")


def run(data: bytes, reference, *, keep=False, name="p.csv") -> PostingImport:
    imp = services.import_create(uploaded_file=SimpleUploadedFile(name, data), framework=reference)
    return services.import_start(posting_import=imp, mapping=imp.mapping, keep_good_rows=keep)


def recount(import_id: int | None = None) -> tuple[int, dict[str, dict[str, int]]]:
    """The figures counted in Python from each stored posting of the finished imports."""
    qs = Posting.objects.filter(posting_import__status="done")
    if import_id:
        qs = qs.filter(posting_import_id=import_id)
    counts = {k: Counter() for k in KINDS}
    total = 0
    for p in qs:
        total += 1
        for kind in KINDS:
            counts[kind].update(p.codes(kind))
    return total, {k: dict(v) for k, v in counts.items()}


def assert_figures_agree(*import_ids):
    for import_id in (None, *import_ids):
        pre = selectors.demand_counts(import_id)
        assert pre == selectors.demand_counts_direct(import_id) == recount(import_id), import_id
    return selectors.demand_counts()


def test_pre_aggregated_figures_equal_a_group_by_over_the_stored_postings(reference):
    first = run(postings_csv(60, seed=1, duplicate_of=3), reference)
    second = run(postings_csv(40, seed=2), reference, name="second.csv")
    assert first.status == second.status == "done"
    assert first.exact_duplicates == 1 and first.rows_stored == 60 and second.rows_stored == 40
    total, counts = assert_figures_agree(first.pk, second.pk)
    assert total == 100 == Posting.objects.count()
    assert sum(counts["month"].values()) == 100 and len(counts["month"]) == 12
    assert counts["competency"] and counts["platform"] and counts["city"] and counts["position"]
    # the monthly trend of the dashboard comes from the same rows
    page = selectors.demand_dashboard()
    trend = page["chart"]["trend"]
    top = trend["series"][0]
    code = top["name"]
    by_month = Counter(p.month for p in Posting.objects.all() if code in p.codes("competency"))
    assert dict(zip(trend["months"], top["data"], strict=True)) == {m: by_month.get(m, 0) for m in trend["months"]}


def test_figures_stay_equal_after_a_retag_and_a_refused_import(reference, settings):
    first = run(postings_csv(30, seed=3), reference)
    refused = run(postings_csv(30, seed=4, bad_row=17), reference, name="bad.csv")
    assert refused.status == "failed" and refused.rows_rejected == 1 and refused.rows_read == 30
    assert not Posting.objects.filter(posting_import=refused).exists()
    assert not DemandCount.objects.filter(posting_import=refused).exists()
    kept = run(postings_csv(30, seed=5, bad_row=2), reference, keep=True, name="kept.csv")
    assert kept.status == "done" and kept.rows_stored == 29
    before = assert_figures_agree(first.pk, kept.pk)
    Posting.objects.filter(posting_import=first).update(tags={}, city="")  # as if tagged by an empty framework
    services.import_retag(posting_import=first)
    assert assert_figures_agree(first.pk, kept.pk) == before


def snapshot():
    return sorted(
        (p.row, p.hash, p.near_key, p.city, p.month, p.position, p.salary_min, p.posted, repr(sorted(p.tags.items())))
        for p in Posting.objects.all()
    )


def test_worker_processes_store_the_same_postings_and_figures(reference, settings, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 7)  # many chunks, several in flight
    data = postings_csv(50, seed=6, duplicate_of=10)
    settings.POSTINGS_IMPORT_WORKERS = 0
    inline = run(data, reference)
    expected, figures = snapshot(), selectors.demand_counts()
    PostingImport.objects.all().delete()
    settings.POSTINGS_IMPORT_WORKERS = 2
    parallel = run(data, reference)
    assert (parallel.rows_read, parallel.rows_stored, parallel.exact_duplicates) == (51, 50, 1)
    assert (inline.rows_read, inline.rows_stored) == (51, 50)
    assert snapshot() == expected and selectors.demand_counts() == figures
    assert_figures_agree(parallel.pk)
    # a rejected row in a later chunk: nothing of the import stays, every problem is reported
    refused = run(postings_csv(50, seed=7, bad_row=40), reference, name="bad.csv")
    assert refused.status == "failed" and refused.rows_rejected == 1 and refused.problems[0]["field"] == "date"
    assert not Posting.objects.filter(posting_import=refused).exists()


def test_the_dashboard_issues_a_bounded_number_of_queries(client, role_users, reference, django_assert_max_num_queries):
    client.force_login(role_users["teacher"])

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = run(postings_csv(20, seed=8), reference)
    small = queries("/demand/"), queries(f"/demand/?import={first.pk}")
    for seed in (9, 10, 11):
        run(postings_csv(40, seed=seed), reference, name=f"{seed}.csv")
    assert (queries("/demand/"), queries(f"/demand/?import={first.pk}")) == small
    with django_assert_max_num_queries(12):
        client.get("/demand/")


def test_normalise_equals_its_definition():
    """The fast normalise gives the same duplicate keys as NFKC + whitespace folding + lower case."""
    space = re.compile(r"\s+")

    def definition(text):
        return space.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().lower()

    rng = random.Random(7)
    codes = [*range(0x20, 0x7F), *range(0xFF01, 0xFF60), 0x3000, 0x3002, 0x2028, 0x85, 0xA0, 0x1680, 0x2002, 0xFB01]
    codes += [0x2460, 0x1C, 0x1F, 0x0301, 0x212B, 0x00C5, 0x1E9B, 0x0323, 0xFFE5, 0x2126, 0x4E00, 0xAC00]
    codes += [0x1100, 0x1161]
    alphabet = [chr(c) for c in codes] + ["\t", "\n"]
    samples = ["", "  Ａｍａｚｏｎ　运营，英语ＣＥＴ－６  ", *(p.text for p in generate_postings(20, seed=1))]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    for text in samples:
        assert normalise(text) == definition(text), repr(text)
