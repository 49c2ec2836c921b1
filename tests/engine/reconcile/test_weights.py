"""The weights of a candidate (docs/linkage.md): u of the name from the row's own candidate
block, m of the 镇街 from the organizations with a valid code, and a decision that does not
change with the size of the county when its names repeat the same way."""

from __future__ import annotations

import polars as pl
import pytest

from liangxin.engine.reconcile.weights import Chance, chance, settings, unseen_sharers, weigh

TOWNS = [f"{c}镇" for c in "甲乙丙丁戊己庚辛壬癸子丑"]


def county(orgs: int, moved: tuple[int, int] = (0, 0)) -> Chance:
    """A county of ``orgs`` registered organizations in 12 镇街 whose 字号 and trade repeat as
    a county's do: one in two hundred shared by two organizations, the rest by none."""
    facts = pl.DataFrame(
        {
            "form": ["有限公司", "合伙企业", None, None] * (orgs // 4),
            "town": [TOWNS[i % len(TOWNS)] for i in range(orgs)],
            "legal_rep": [f"张{i}" for i in range(orgs)],
            "address": [f"{i}号" for i in range(orgs)],
        }
    )
    twice = orgs // 400
    sizes = pl.Series([2] * twice + [1] * (orgs - 2 * twice))
    blocks = {"core": sizes, "full_key": pl.Series([1] * orgs)}
    sample = min(orgs, 5_000)
    return chance(facts, blocks, slip_pairs=sample // 10, sample=sample, moved=moved)


def candidates(*pairs: dict) -> pl.DataFrame:
    base = {"name": "same_core", "block": 1, "form": "same", "town": None}
    base |= {"legal_rep": None, "address": None, "code_near": False}
    rows = [{"rec_id": 0, "org_id": f"O{i}", **base, **p} for i, p in enumerate(pairs)]
    levels = {c: pl.String for c in ("name", "form", "town", "legal_rep", "address")}
    return pl.DataFrame(rows, schema_overrides={"block": pl.UInt32, **levels})


def probabilities(u: Chance, *pairs: dict) -> list[float]:
    return weigh(candidates(*pairs), u, settings())["probability"].to_list()


def test_unseen_sharers_follow_how_names_repeat_not_how_many_there_are() -> None:
    small = pl.Series([1] * 990 + [2] * 5)
    large = pl.Series([1] * 990_000 + [2] * 5_000)
    assert unseen_sharers(small, 0.01, 0) == pytest.approx(10 / 990)
    assert unseen_sharers(large, 0.01, 1_000) == pytest.approx(
        unseen_sharers(small, 0.01, 1_000), rel=0.05
    )
    # no value seen twice yet: the prior
    assert unseen_sharers(pl.Series([1] * 10), 0.01, 1_000) == pytest.approx(10 / 1_010)


def test_a_unique_zihao_and_trade_in_another_town_links_in_a_small_and_a_huge_county() -> None:
    moved = {"town": "different", "form": "absent"}
    small, huge = (probabilities(county(n), moved)[0] for n in (3_000, 1_000_000))
    assert small >= settings().link
    assert huge == pytest.approx(small, abs=0.01)


def test_registered_organizations_sharing_the_zihao_and_trade_split_the_evidence() -> None:
    u = county(100_000)
    alone = probabilities(u, {})[0]
    two = probabilities(u, {"block": 2}, {"block": 2})
    assert alone >= settings().link
    assert two[0] == pytest.approx(two[1])
    assert settings().review <= two[0] < settings().link
    # the 镇街 decides between the two
    town = probabilities(u, {"block": 2, "town": "same"}, {"block": 2, "town": "different"})
    assert town[0] >= settings().link > settings().review > town[1]


def test_the_same_place_counts_apart_from_another_region() -> None:
    """A row 临沂市华泰机械 with 临沂市华泰机械 and 临沭县华泰机械 registered: the first is in
    a block of one at the level of the whole name, the second in a block of two."""
    u = county(100_000)
    exact, other = probabilities(
        u, {"name": "exact", "block": 1}, {"name": "other_region", "block": 2}
    )
    assert exact >= settings().link > settings().review > other


def test_the_town_disagreement_weighs_by_how_often_organizations_state_another_town() -> None:
    steady, moving = county(3_000, moved=(2_000, 20)), county(3_000, moved=(2_000, 400))
    prior = settings().m["town"]
    assert steady.moved == pytest.approx(
        (20 + prior["different"] * prior["prior_rows"]) / (2_000 + prior["prior_rows"])
    )
    assert moving.moved > 0.15 > 0.02 > steady.moved
    slip = {"name": "slip", "block": None, "town": "different"}
    assert probabilities(moving, slip)[0] > probabilities(steady, slip)[0]
    same = {"name": "slip", "block": None, "town": "same"}
    assert probabilities(moving, same)[0] < probabilities(steady, same)[0]
