"""One name, one place: the pages, exports and API word the engine's codes as engine/labels.py
does, and the stored organizations are counted by the engine's own definitions."""

from __future__ import annotations

import polars as pl
import pytest

from liangxin.engine.labels import (
    COUNT_LABELS,
    FLAG_LABELS,
    MODE_LABELS,
    ORG_KIND_LABELS,
    PARTY_FINDING_LABELS,
    RATE_LABELS,
    TASK_STATUS_LABELS,
    TYPE_LABELS,
)
from liangxin.engine.screen.metrics import COUNTS as ENGINE_COUNTS
from liangxin.web.api.schema import openapi
from liangxin.web.closures.models import Closure
from liangxin.web.dashboard.metrics import COUNTS, counted_q
from liangxin.web.orgs.export import COLUMNS
from liangxin.web.orgs.models import Org
from liangxin.web.partyorgs.models import PartyOrg

pytestmark = pytest.mark.django_db


def test_every_engine_count_counts_the_stored_organizations_alike(county):
    columns = ["in_scope", "formal_members", *FLAG_LABELS]
    stored = pl.DataFrame(
        list(Org.objects.values_list(*columns)),
        schema={c: pl.Int64 if c == "formal_members" else pl.Boolean for c in columns},
        orient="row",
    )
    in_frame = stored.select(
        **{key: counted.expr().fill_null(False).sum() for key, counted in ENGINE_COUNTS.items()}
    ).row(0, named=True)
    in_database = {
        key: Org.objects.filter(counted_q(counted)).count()
        for key, counted in ENGINE_COUNTS.items()
    }
    assert in_database == in_frame
    assert 0 < in_frame["joint_covered"] < in_frame["org_covered"] < in_frame["total"]
    assert 0 < in_frame["with_members"] < in_frame["total"]
    assert in_frame["excluded"] > 0
    assert set(COUNTS) <= set(ENGINE_COUNTS)


def test_models_word_codes_as_the_engine():
    org = {f.name: str(f.verbose_name) for f in Org._meta.fields}
    assert {flag: org[flag] for flag in FLAG_LABELS} == FLAG_LABELS
    assert dict(Org._meta.get_field("kind").choices) == ORG_KIND_LABELS
    party = {f.name: str(f.verbose_name) for f in PartyOrg._meta.fields}
    assert {f: party[f] for f in PARTY_FINDING_LABELS} == PARTY_FINDING_LABELS
    assert dict(PartyOrg._meta.get_field("type").choices) == TYPE_LABELS
    assert dict(PartyOrg._meta.get_field("mode").choices) == MODE_LABELS
    assert Closure.Status.OPEN.label == TASK_STATUS_LABELS["open"]


def test_export_and_api_word_flags_and_metrics_as_the_engine():
    headers = {c.source: c.header for c in COLUMNS}
    assert {flag: headers[flag] for flag in FLAG_LABELS} == FLAG_LABELS
    counts = openapi()["components"]["schemas"]["Counts"]["properties"]
    for key in COUNTS:
        assert counts[key]["description"] == COUNT_LABELS[key]
    for key, label in RATE_LABELS.items():
        assert counts[key]["description"] == label
