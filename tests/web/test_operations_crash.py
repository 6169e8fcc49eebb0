"""Kill -9 of a real `cbec-talent worker` mid-import and mid-retag: the job ends failed (the
sweep), nothing is lost or doubled, and the retry gives exactly what an uninterrupted run gives."""

from __future__ import annotations

import pytest

from tests.reliability_harness import Site, drill_import, drill_retag, postings_csv, stuck_jobs


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    site = Site(folder / "site").setup()
    reference = site.copy_to(folder / "reference")  # the same site, for the uninterrupted runs
    csv = postings_csv(folder / "postings.csv", 12000)
    yield site, reference, csv
    site.stop_workers()


def test_kill9_mid_import_then_retry_equals_an_uninterrupted_import(sites):
    site, reference, csv = sites
    report = drill_import(site, csv, reference_site=reference)
    assert report["stored_when_killed"] > 0  # it really was killed half-way through storing
    assert report["after_kill"]["status"] == "failed" and report["after_kill"]["postings"] == 0
    assert "interrupted" in report["after_kill"]["message"]
    assert report["tasks_after_sweep"]["RUNNING"] == 0
    assert report["final"]["status"] == "done"
    assert report["doubled_rows"] == 0 and report["lost_rows"] == 0
    assert report["result"]["postings"] == report["expected"]["postings"] > 10000
    assert report["retry_identical"]
    assert stuck_jobs(site) == 0

    # the retag of the same import: killed mid-way the postings keep their tags; the retry equals a clean retag
    ref_pk = reference.py(
        "from cbec_talent.labour_market.models import PostingImport\nresult = PostingImport.objects.get().pk"
    )
    pk = site.py("from cbec_talent.labour_market.models import PostingImport\nresult = PostingImport.objects.get().pk")
    retag = drill_retag(site, pk, reference_site=reference, ref_pk=ref_pk)
    assert retag["kept_previous_tags"]
    assert not retag["after_kill"]["retagging"]
    assert retag["lost_rows"] == 0 and retag["doubled_rows"] == 0
    assert retag["retry_identical"]
    assert stuck_jobs(site) == 0
