"""Doubtful matches: never merged silently; a person's decision merges (or not)."""

from __future__ import annotations

import pytest
from web_county import doubtful, import_files

from liangxin.web.audit.models import AuditLog
from liangxin.web.imports.actions import do_commit, do_reanalyse
from liangxin.web.imports.models import ImportBatch
from liangxin.web.orgs.models import Org
from liangxin.web.review.models import MatchDecision, ReviewItem
from liangxin.web.sources.models import SourceRecord

pytestmark = pytest.mark.django_db


def item_in(town: str) -> ReviewItem:
    return ReviewItem.objects.get(candidate__town=town)


def test_the_misspelt_rows_wait_in_the_queue_unmerged(county):
    for town in (county.town_a, county.town_b):
        item = item_in(town)
        assert item.name == doubtful(item.candidate_name)
        assert item.org is not None and item.org != item.candidate
        record = SourceRecord.objects.get(source_file=county.extra.name, org=item.org)
        assert record.values["name"] == item.name


def test_confirming_in_the_queue_merges_the_row_into_the_candidate(client_for, users, county):
    item = item_in(county.town_a)
    own, candidate = item.org, item.candidate
    rows_before = candidate.source_rows
    response = client_for("town_a").post(
        f"/review/{item.pk}/decide/", {"decision": "confirm"}, follow=True
    )
    assert "是同一单位" in response.content.decode()
    record = SourceRecord.objects.get(source_file=county.extra.name, values__name=item.name)
    assert record.org == candidate
    assert not Org.objects.filter(pk=own.pk).exists(), "the row's own organization is gone"
    assert not ReviewItem.objects.filter(record_key=item.record_key).exists()
    decision = MatchDecision.objects.get(record_key=item.record_key)
    assert decision.applied and decision.decided_by == users["town_a"]
    entry = AuditLog.objects.get(action=AuditLog.Action.DECIDE, object_id=str(decision.pk))
    assert entry.after == {"decision": "confirm"} and entry.before is None
    candidate.refresh_from_db()
    assert candidate.source_rows == rows_before + 1
    assert record in candidate.records.all()


def test_rejecting_leaves_both_organizations_and_empties_the_queue(client_for, county):
    item = item_in(county.town_b)
    client_for("town_b").post(f"/review/{item.pk}/decide/", {"decision": "reject"})
    assert Org.objects.filter(pk=item.org.pk).exists()
    assert not ReviewItem.objects.filter(record_key=item.record_key).exists()
    assert MatchDecision.objects.get(record_key=item.record_key).decision == "reject"


def test_a_decision_in_the_preview_takes_effect_with_the_commit(users, county, tmp_path):
    changed = tmp_path / county.extra.name
    changed.write_text(
        county.extra.read_text(encoding="utf-8").replace(",12,1,", ",15,1,"), encoding="utf-8"
    )
    admin = users["admin"]
    batch = import_files(admin, changed, commit=False)
    assert len(batch.review) == 2
    pair = next(p for p in batch.review if p["candidate_town"] == county.town_a)
    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(admin)
    index = batch.review.index(pair)
    client.post(f"/imports/{batch.pk}/review/{index}/decide/", {"decision": "confirm"})
    batch.refresh_from_db()
    assert batch.needs_analysis and not batch.can_commit
    decision = MatchDecision.objects.get(record_key=pair["record_key"])
    assert decision.batch == batch and not decision.applied

    do_reanalyse(batch, admin)
    batch.refresh_from_db()
    assert [p["candidate_town"] for p in batch.review] == [county.town_b]
    assert batch.summary["counts"]["org"]["removed"] == 1
    do_commit(batch, admin)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    decision.refresh_from_db()
    assert decision.applied
    record = SourceRecord.objects.get(source_file=county.extra.name, values__name=pair["name"])
    assert record.org.org_id == pair["candidate_org_id"]
    assert record.values["employees"] == 15, "the new version of the row is stored"
