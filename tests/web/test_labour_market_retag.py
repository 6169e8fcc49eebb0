"""Tagging an import's postings again (after keyword edits): a background task with progress, all or nothing, the
import's figures readable meanwhile, audited."""

from __future__ import annotations

import functools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cbec_talent.accounts.models import AuditLog
from cbec_talent.core.errors import CbecError
from cbec_talent.labour_market import processing, selectors, services
from cbec_talent.labour_market.models import DemandCount, Posting

CSV = (
    "职位名称,公司,职位描述,工作地点,发布日期\n"
    + "".join(
        f"亚马逊运营专员,公司{i},负责亚马逊店铺运营和Listing优化，英语四级,深圳,2024-0{1 + i % 9}-0{1 + i % 9}\n"
        for i in range(30)
    )
).encode("utf-8")


pytestmark = pytest.mark.usefixtures("media_root")  # uploads go to a temporary folder


@pytest.fixture
def finished(reference):
    imp = services.import_create(uploaded_file=SimpleUploadedFile("p.csv", CSV), framework=reference)
    imp = services.import_start(posting_import=imp, mapping=imp.mapping, keep_good_rows=False)
    assert imp.status == "done" and imp.rows_stored == 30
    return imp


def state(imp):
    return (
        sorted(
            (p.pk, p.position, p.city, repr(sorted(p.tags.items()))) for p in Posting.objects.filter(posting_import=imp)
        ),
        sorted(DemandCount.objects.filter(posting_import=imp).values_list("kind", "code", "month", "postings")),
    )


def test_retag_restores_tags_and_figures_in_chunks_with_progress(finished, role_users, monkeypatch):
    before = state(finished)
    Posting.objects.filter(posting_import=finished).update(tags={}, city="", position="")
    DemandCount.objects.filter(posting_import=finished).delete()
    seen = []

    def spy(posting_import, table, progress):
        def watch(share):
            seen.append(share)
            progress(share)

        return processing.retag_postings(posting_import, table, chunk=7, progress=watch)  # five chunks

    monkeypatch.setattr(services, "retag_postings", spy)
    imp = services.import_retag(posting_import=finished, actor=role_users["director"])
    assert state(imp) == before
    assert seen == [7 / 30, 14 / 30, 21 / 30, 28 / 30, 1.0]
    assert not imp.retagging and imp.progress == 1.0 and imp.message.startswith("30 postings tagged again")
    entry = AuditLog.objects.filter(object_id=str(imp.pk), action="update").latest("at")
    assert entry.actor == role_users["director"] and entry.after["retagged"] == 30
    # again, in the same transaction (the test's): same tags, same figures
    assert state(services.import_retag(posting_import=imp)) == before


def test_a_failed_retag_changes_nothing(finished, monkeypatch):
    before = state(finished)
    monkeypatch.setattr(services, "retag_postings", functools.partial(processing.retag_postings, chunk=7))
    monkeypatch.setattr(processing, "tag_map", lambda res: {"competency": {"X.ONLY": "x"}})  # would change all
    calls = []
    real = processing.tag_batch

    def failing_second_chunk(postings, table, **kw):
        calls.append(len(postings))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(postings, table, **kw)

    monkeypatch.setattr(processing, "tag_batch", failing_second_chunk)
    with pytest.raises(RuntimeError, match="disk full"):
        services.import_retag(posting_import=finished, run_inline=True)
    finished.refresh_from_db()
    assert state(finished) == before
    assert not finished.retagging and "failed (RuntimeError)" in finished.message

    # a failure while writing (after every posting was updated) rolls the updates back too
    monkeypatch.setattr(processing, "tag_batch", real)

    def failing_counts(*args):
        raise RuntimeError("counts")

    monkeypatch.setattr(processing, "save_counts", failing_counts)
    with pytest.raises(RuntimeError, match="counts"):
        services.import_retag(posting_import=finished, run_inline=True)
    finished.refresh_from_db()
    assert state(finished) == before and not finished.retagging


def test_figures_stay_readable_while_retagging_and_a_second_retag_is_refused(finished, client, role_users):
    figures = selectors.demand_counts(finished.pk)
    finished.retagging = True
    finished.save(update_fields=["retagging"])
    assert selectors.demand_counts(finished.pk) == figures
    with pytest.raises(CbecError, match="already being tagged again"):
        services.import_retag(posting_import=finished)
    client.force_login(role_users["director"])
    page = client.get(reverse("labour_market:import_detail", args=[finished.pk])).content.decode()
    assert "正在重新标注" in page and 'id="retag"' not in page and "every 1s" in page  # pages default to Chinese
    response = client.post(reverse("labour_market:import_retag", args=[finished.pk]), follow=True)
    assert "这些招聘信息正在重新标注中" in response.content.decode()


def test_the_retag_button_queues_the_task(finished, client, role_users):
    client.force_login(role_users["director"])
    Posting.objects.filter(posting_import=finished).update(tags={})
    response = client.post(reverse("labour_market:import_retag", args=[finished.pk]), follow=True)
    finished.refresh_from_db()
    assert not finished.retagging
    assert "重新标注 30 条招聘信息" in response.content.decode()
    assert all(p.tags for p in Posting.objects.filter(posting_import=finished))
