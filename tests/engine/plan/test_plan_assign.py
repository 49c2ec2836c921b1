"""The instructor assignment planner: capacity, maximum coverage and least cost, checked
against brute force on small random cases; and a run on a generated county (time printed)."""

from __future__ import annotations

import datetime
import itertools
import time

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liangxin.engine.plan import (
    DEFAULT_AFFINITY,
    Weights,
    demand_table,
    plan_assignments,
    remaining_capacity,
)
from liangxin.engine.policies import CapacityLimit, load_policy

TOWNS = ["甲镇", "乙镇"]
SECTORS = ["制造业", "社会组织", "批发和零售业", None]
UNITS = ["甲镇两新组织综合党委", "县民政局", "县工业和信息化局", "乙镇社会事务办公室"]
DEFAULT_MAX = 4
AFFINITY = list(DEFAULT_AFFINITY.iter_rows())


def affine(unit: str, sector: str | None) -> bool:
    return sector is not None and any(u in unit and s in sector for u, s in AFFINITY)


def applies(limit: CapacityLimit, full_time: str | None) -> bool:
    return limit.instructors == "all" or limit.instructors == full_time


def feasible(orgs, instructors, limits, choice) -> bool:
    """Does giving org i to instructor choice[i] (None: nobody) respect every limit?"""
    for j, ins in enumerate(instructors):
        mine = [orgs[i] for i, c in enumerate(choice) if c == j]
        new = {
            "with_party_org": sum(o["has_party_org"] for o in mine),
            "without_party_org": sum(not o["has_party_org"] for o in mine),
        }
        new["all"] = len(mine)
        now = {
            "with_party_org": ins["orgs_with_party_org"],
            "without_party_org": ins["orgs_without_party_org"],
        }
        now["all"] = sum(now.values())
        mine_limits = [lim for lim in limits if applies(lim, ins["full_time"])]
        for lim in mine_limits:
            if new[lim.orgs] and now[lim.orgs] + new[lim.orgs] > lim.max_orgs:
                return False
        kinds = {lim.orgs for lim in mine_limits}
        no_total = "all" not in kinds and not {"with_party_org", "without_party_org"} <= kinds
        if no_total and new["all"] and now["all"] + new["all"] > DEFAULT_MAX:
            return False
    return True


def cost(orgs, instructors, choice, weights: Weights) -> int:
    total = 0
    for i, c in enumerate(choice):
        if c is not None:
            ins = instructors[c]
            total += weights.pair(
                orgs[i]["town"] == ins["town"], affine(ins["unit"], orgs[i]["sector"])
            )
    for j, ins in enumerate(instructors):
        added = sum(1 for c in choice if c == j)
        load = ins["orgs_with_party_org"] + ins["orgs_without_party_org"]
        total += weights.load_cost(load, added)
    return total


def brute_force(orgs, instructors, limits, weights):
    """(most organizations coverable, least cost among those)."""
    best = (0, 0)
    options = [None, *range(len(instructors))]
    for choice in itertools.product(options, repeat=len(orgs)):
        if not feasible(orgs, instructors, limits, choice):
            continue
        n = sum(c is not None for c in choice)
        key = (n, -cost(orgs, instructors, choice, weights))
        if key > (best[0], -best[1]):
            best = (n, -key[1])
    return best


org_st = st.fixed_dictionaries(
    {
        "town": st.sampled_from(TOWNS),
        "sector": st.sampled_from(SECTORS),
        "has_party_org": st.booleans(),
    }
)
instructor_st = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(UNITS),
        "town": st.sampled_from(TOWNS),
        "full_time": st.sampled_from([None, "专职", "兼职"]),
        "orgs_with_party_org": st.integers(0, 3),
        "orgs_without_party_org": st.integers(0, 3),
    }
)
limit_st = st.builds(
    CapacityLimit,
    orgs=st.sampled_from(["with_party_org", "without_party_org", "all"]),
    max_orgs=st.integers(0, 4),
    instructors=st.sampled_from(["all", "专职", "兼职"]),
)
weights_st = st.builds(
    Weights,
    base=st.integers(1, 10),
    other_town=st.integers(0, 60),
    other_industry=st.integers(0, 30),
    load=st.integers(0, 8),
)


def frames(orgs, instructors):
    demand = pl.DataFrame(
        [{"org_id": f"O{i}", "name": f"单位{i}", **o} for i, o in enumerate(orgs)],
        schema={"org_id": pl.String, "name": pl.String, "town": pl.String,
                "sector": pl.String, "has_party_org": pl.Boolean},
    )  # fmt: skip
    roster = pl.DataFrame(
        [{"entity_id": f"I{j}", "name": f"指导员{j}", **ins} for j, ins in enumerate(instructors)],
        schema={"entity_id": pl.String, "name": pl.String, "unit": pl.String,
                "town": pl.String, "full_time": pl.String, "orgs_with_party_org": pl.Int64,
                "orgs_without_party_org": pl.Int64},
    )  # fmt: skip
    return demand, roster


@settings(max_examples=300)
@given(
    orgs=st.lists(org_st, min_size=0, max_size=6),
    instructors=st.lists(instructor_st, min_size=0, max_size=3),
    limits=st.lists(limit_st, max_size=3),
    weights=weights_st,
)
def test_plan_is_feasible_maximal_and_cheapest(orgs, instructors, limits, weights):
    demand, roster = frames(orgs, instructors)
    plan = plan_assignments(demand, roster, limits, weights=weights, default_max_orgs=DEFAULT_MAX)

    index = {f"O{i}": i for i in range(len(orgs))}
    choice = [None] * len(orgs)
    for org_id, entity_id in plan.assignments.select("org_id", "entity_id").iter_rows():
        assert choice[index[org_id]] is None, "an organization assigned twice"
        choice[index[org_id]] = int(entity_id[1:])
    assert feasible(orgs, instructors, limits, choice), "capacity exceeded"

    most, least = brute_force(orgs, instructors, limits, weights)
    assert plan.assigned == most
    assert plan.cost == cost(orgs, instructors, choice, weights) == least
    assert plan.unmet.height == len(orgs) - most
    assert set(plan.unmet["org_id"]) | set(plan.assignments["org_id"]) == set(index)


def test_capacity_under_linyi_is_separate_for_orgs_with_and_without_party_org():
    limits = load_policy("linyi-2020").instructor_capacity
    _, roster = frames(
        [],
        [
            {"unit": "县民政局", "town": "甲镇", "full_time": "兼职",
             "orgs_with_party_org": 2, "orgs_without_party_org": 3},
            {"unit": "县民政局", "town": "甲镇", "full_time": None,
             "orgs_with_party_org": 6, "orgs_without_party_org": 0},
        ],
    )  # fmt: skip
    cap = remaining_capacity(roster, limits).sort("entity_id")
    assert cap.select("free_with", "free_without", "free_total").rows() == [
        (3, 0, 3),
        (0, 3, 3),
    ]  # over one limit, room in the other


def test_unmet_demand_says_how_many_instructors_are_still_needed():
    limits = load_policy("linyi-2020").instructor_capacity  # ≤5 with, ≤3 without
    orgs = [{"town": "甲镇", "sector": "制造业", "has_party_org": False}] * 10
    instructors = [
        {"unit": "甲镇两新组织综合党委", "town": "甲镇", "full_time": "专职",
         "orgs_with_party_org": 0, "orgs_without_party_org": 1},
    ]  # fmt: skip
    demand, roster = frames(orgs, instructors)
    plan = plan_assignments(demand, roster, limits)
    assert plan.assigned == 2 and plan.unmet.height == 8
    assert plan.instructors_needed == 3  # 8 orgs without a party organization, 3 each
    assert "还需选派 3 名指导员" in plan.summary()


def test_same_town_is_preferred_and_load_is_spread():
    orgs = [{"town": "甲镇", "sector": "制造业", "has_party_org": False}] * 4
    instructors = [
        {"unit": "甲镇两新组织综合党委", "town": "甲镇", "full_time": None,
         "orgs_with_party_org": 0, "orgs_without_party_org": 0},
        {"unit": "甲镇两新组织综合党委", "town": "甲镇", "full_time": None,
         "orgs_with_party_org": 0, "orgs_without_party_org": 0},
        {"unit": "乙镇社会事务办公室", "town": "乙镇", "full_time": None,
         "orgs_with_party_org": 0, "orgs_without_party_org": 0},
    ]  # fmt: skip
    demand, roster = frames(orgs, instructors)
    plan = plan_assignments(demand, roster, [CapacityLimit("all", 5, "all")])
    per = dict(plan.loads.select("entity_id", "added").iter_rows())
    assert per == {"I0": 2, "I1": 2, "I2": 0}
    assert plan.assignments["same_town"].all()


@pytest.mark.parametrize("n_orgs", [3000])
def test_plan_on_a_generated_county(tmp_path, n_orgs):
    from liangxin.engine.build import build
    from liangxin.synth import generate

    policy = load_policy("linyi-2020")
    generate(tmp_path / "data", seed=1, n_orgs=n_orgs)
    result = build(tmp_path / "data", tmp_path / "out", policy, datetime.date(2020, 7, 1))
    screened = result.screened
    demand = demand_table(screened.orgs)
    started = time.perf_counter()
    plan = plan_assignments(demand, screened.instructors, policy.instructor_capacity)
    elapsed = time.perf_counter() - started
    print(f"\nplanner on {n_orgs} orgs: {elapsed:.2f} s; {plan.summary()}")

    cap = remaining_capacity(screened.instructors, policy.instructor_capacity)
    loads = plan.loads.join(cap.select("entity_id", "free_total"), on="entity_id")
    assert (loads["added"] <= loads["free_total"]).all()
    assert plan.assigned + plan.unmet.height == demand.height > 0
    # with capacity to spare every organization gets an instructor
    if int(cap["free_without"].sum()) >= demand.height:
        assert plan.unmet.height == 0
