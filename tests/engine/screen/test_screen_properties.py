"""Properties of the screening on arbitrary reconciled tables, unknown values included."""

from __future__ import annotations

from datetime import date

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liangxin.engine.policies import PRESETS, load_policy
from liangxin.engine.reconcile import Reconciled
from liangxin.engine.screen import FLAGS, metrics, screen
from liangxin.engine.screen.inputs import ORG_FIELDS

OBLIGATIONS = FLAGS[FLAGS.index("single_required") :]

org_records = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["enterprise", "social_org"]),
        "town": st.sampled_from(["城关镇", "临浦镇", None]),
        "reg_status": st.sampled_from([None, "存续", "注销", "正常"]),
        "operating": st.sampled_from([None, "正常经营", "停产", "已搬离"]),
        "has_premises": st.sampled_from([None, True, False]),
        "employees": st.none() | st.integers(0, 150),
        "revenue_wan": st.none() | st.floats(0, 5000, allow_nan=False),
        "tax_status": st.sampled_from([None, "正常", "非正常", "停业"]),
        "survey_formal_members": st.none() | st.integers(0, 6),
        "park": st.sampled_from([None, "临沭经济开发区", "无"]),
    }
)


def _reconciled(records: list[dict]) -> Reconciled:
    rows = [
        {
            "org_id": f"O{i:04d}",
            "credit_code": None,
            "name": f"单位{i}有限公司",
            "subtype": "association" if r["kind"] == "social_org" else None,
            "legal_form": "有限责任公司" if r["kind"] == "enterprise" else None,
            **r,
            **{f"{field}_source": f"摸排表.csv第{i + 2}行" for field in ORG_FIELDS},
        }
        for i, r in enumerate(records)
    ]
    return Reconciled(
        orgs=pl.DataFrame(rows, schema_overrides={**ORG_FIELDS, "subtype": pl.String}),
        links=pl.DataFrame(),
        review=pl.DataFrame(),
        entities={},
        unit_refs=pl.DataFrame(),
        region_prefixes=[],
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(org_records, min_size=1, max_size=25), st.sampled_from(PRESETS))
def test_unknown_satisfies_no_threshold(records: list[dict], preset: str) -> None:
    screened = screen(_reconciled(records), load_policy(preset), date(2020, 7, 1))
    for row in screened.orgs.to_dicts():
        if not row["in_scope"]:
            assert not any(row[f] for f in OBLIGATIONS)
        if row["employees"] is None:
            assert not (row["focus_50_no_member"] or row["focus_100_no_org"])
            assert not (row["focus_social_15_no_member"] or row["fallback"])
            assert not row["instructor_required"] or row["in_park"]
        if row["formal_members"] is None:
            assert not (row["focus_50_no_member"] or row["focus_social_15_no_member"])
            assert not row["single_required"] or row["above_scale"]
        if row["revenue_wan"] is None and row["employees"] is None:
            assert not row["above_scale"]
        assert row["due_unestablished"] == (
            row["single_required"] and not row["single_established"]
        )
        true_flags = sum(bool(row[f]) for f in FLAGS) + (not row["in_scope"])
        assert len(row["reasons"].split("；") if row["reasons"] else []) == true_flags


@settings(max_examples=30, deadline=None)
@given(st.lists(org_records, min_size=1, max_size=25))
def test_towns_add_up_to_the_total(records: list[dict]) -> None:
    screened = screen(_reconciled(records), load_policy(), date(2020, 7, 1))
    m = metrics(screened)
    county_tasks = screened.tasks.filter(pl.col("subject") == "county")["overdue"].sum()
    for kind, total in m["total"].items():
        for key, value in total.items():
            if isinstance(value, int):
                county_only = county_tasks if (kind, key) == ("all", "overdue_tasks") else 0
                towns = sum(town[kind][key] for town in m["towns"].values())
                assert value == towns + county_only, key
        assert total["total"] + total["excluded"] == sum(
            1 for r in records if kind == "all" or r["kind"] == kind
        )
