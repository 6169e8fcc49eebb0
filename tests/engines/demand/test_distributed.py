"""Merging chunk figures exactly, and the same figures from a two-process Dask cluster as from one process."""

from __future__ import annotations

import csv
import importlib.util

import pytest

from cbec_talent.engines.demand import (
    demand_figures,
    figures_part,
    load_keyword_table,
    merge_figures,
    tag_batch,
)
from cbec_talent.engines.demand.cli import read_postings
from cbec_talent.engines.demand.synth import generate_postings


@pytest.fixture(scope="module")
def table():
    return load_keyword_table()


@pytest.fixture(scope="module")
def postings():
    return generate_postings(3000, seed=11, target_bytes=600)


def test_merged_chunk_figures_equal_the_figures_of_all_postings(table, postings):
    results = tag_batch(postings, table)
    whole = demand_figures(results)
    assert whole.with_salary > 100 and len(whole.salary_monthly_median) > 3  # the medians are really merged
    for sizes in ((1000, 1000, 1000), (1, 2, 997, 2000), (3000,)):
        parts, start = [], 0
        for size in sizes:
            parts.append(figures_part(results[start : start + size]))
            start += size
        assert merge_figures(parts) == whole
        assert list(merge_figures(parts).by_competency) == list(whole.by_competency)  # same ranking order


def _write_files(folder, postings, n_files: int) -> list[str]:
    paths = []
    for k in range(n_files):
        path = folder / f"postings-{k}.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["title", "description", "location", "posted"])
            for p in postings[k::n_files]:
                writer.writerow([p.title, p.text, p.location, p.posted])
        paths.append(str(path))
    return paths


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="dask[distributed] is not installed")
def test_dask_cluster_gives_the_single_process_figures(tmp_path, table, postings):
    from dask.distributed import Client, LocalCluster

    from cbec_talent.engines.demand.distributed import tag_files_dask

    paths = _write_files(tmp_path, postings, 5)
    read_back = [p for path in paths for p in read_postings(open(path, encoding="utf-8").read(), path)]
    assert len(read_back) == len(postings)
    expected = demand_figures(tag_batch(read_back, table))

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        figures = tag_files_dask(paths, {}, client=client, chunk_size=250)
    assert figures == expected
    assert figures.postings == len(postings) and figures.by_competency and figures.salary_monthly_median
