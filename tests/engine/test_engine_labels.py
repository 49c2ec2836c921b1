"""The engine's codes are worded once (engine/labels.py), and the workbooks use those words."""

from __future__ import annotations

from liangxin.engine.labels import (
    COUNT_LABELS,
    FLAG_LABELS,
    PARTY_FINDING_LABELS,
    RATE_LABELS,
    TYPE_LABELS,
)
from liangxin.engine.outputs.ledger import (
    ENTERPRISE_COLUMNS,
    FOCUS_FLAGS,
    SOCIAL_ORG_COLUMNS,
    SUMMARY_COLUMNS,
)
from liangxin.engine.screen import FLAGS
from liangxin.engine.screen.metrics import BY_TYPE, COUNTS, INDICATORS, RATES
from liangxin.engine.screen.structure import FINDING_COLUMNS


def test_every_flag_and_finding_has_one_label_in_the_screening_order():
    assert tuple(FLAG_LABELS) == FLAGS
    assert set(PARTY_FINDING_LABELS) <= set(FINDING_COLUMNS)
    assert len(set(FLAG_LABELS.values())) == len(FLAG_LABELS)


def test_every_named_count_and_rate_is_one_the_metrics_compute():
    assert set(COUNT_LABELS) <= set(COUNTS) | set(INDICATORS)
    assert set(RATE_LABELS) == set(RATES)


def test_the_ledgers_head_flags_and_counts_with_the_declared_words():
    for columns in (ENTERPRISE_COLUMNS, SOCIAL_ORG_COLUMNS):
        flags = {c.source: c.header for c in columns if c.source in FLAG_LABELS}
        assert flags, "the ledgers show flags"
        for key, header in flags.items():
            assert header in (FLAG_LABELS[key], f"是否{FLAG_LABELS[key]}")
    assert set(FOCUS_FLAGS.values()) <= set(FLAG_LABELS.values())
    summary = {c.source: c.header for c in SUMMARY_COLUMNS}
    for key in COUNT_LABELS.keys() & summary.keys():
        assert summary[key] == COUNT_LABELS[key]
    assert summary["formation_rate"] == RATE_LABELS["formation_rate"]


def test_party_org_types_count_under_their_labels():
    assert BY_TYPE["joint_branch"] == TYPE_LABELS["branch"]
    assert {BY_TYPE[t] for t in ("committee", "general_branch", "branch")} == {
        TYPE_LABELS[t] for t in ("committee", "general_branch", "branch")
    }
