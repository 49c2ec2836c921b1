"""Region aliases, match keys and the deletion-neighbourhood blocking behind the close-name
and near-code comparisons."""

from __future__ import annotations

import random

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from liangxin.engine.normalize.names import REGION_NAMES, region_aliases, region_words
from liangxin.engine.reconcile.records import canonical_keys
from liangxin.engine.reconcile.similar import close_names, near_pairs
from liangxin.synth.names import NameFactory

WORDS = region_words(pl.Series(["临沭县华泰商贸有限公司", "兰山区鼎盛建材有限公司"]))


def aliases(key: str) -> set[str]:
    frame = pl.DataFrame({"k": [key]})
    return set(frame.select(region_aliases(pl.col("k"), WORDS)).item().to_list())


def test_region_words_come_from_the_gazetteer_and_the_names() -> None:
    assert {"山东省", "山东", "临沂市", "临沂", "潍坊", "内蒙古"} <= set(REGION_NAMES)
    assert {"临沭县", "临沭", "兰山区", "兰山", "山东"} <= set(WORDS)
    assert sorted(WORDS, key=lambda w: (-len(w), w)) == WORDS


def test_aliases_strip_move_and_unbracket_region_words() -> None:
    assert aliases("山东省临沂市华泰商贸有限公司") == {
        "临沂市华泰商贸有限公司",
        "华泰商贸有限公司",
    }
    assert aliases("华泰(临沂)商贸有限公司") == {"华泰商贸有限公司", "临沂华泰商贸有限公司"}
    assert aliases("兰山区华泰商贸") == {"华泰商贸"}
    assert aliases("华泰商贸有限公司") == set()
    assert aliases("临沂商贸") == set()  # too short to be a name of its own


def test_match_keys_meet_only_where_the_rest_is_another_name() -> None:
    keys = pl.Series(
        [
            "山东华泰商贸有限公司",
            "华泰商贸有限公司",
            "华泰(临沂)商贸有限公司",
            "临沂鼎盛建材有限公司",
            "山东鼎盛建材有限公司",
            "金华商贸有限公司",
        ]
    )
    canonical = canonical_keys(keys, WORDS)
    assert sorted(canonical["name_key"]) == sorted(keys)
    moved = canonical.filter(pl.col("match_key") != pl.col("name_key"))
    assert dict(moved.select("name_key", "match_key").iter_rows()) == {
        "山东华泰商贸有限公司": "华泰商贸有限公司",
        "华泰(临沂)商贸有限公司": "华泰商贸有限公司",
    }


def _brute_force(queries: list[str], known: list[str]) -> set[tuple[str, str]]:
    return {(q, k) for q in queries for k in known if OSA.distance(q, k) <= 1}


def _deletion_forms(text: str) -> set[str]:
    return {text} | {text[:i] + text[i + 1 :] for i in range(len(text))}


def _sharing_a_form(queries: list[str], known: list[str]) -> set[tuple[str, str]]:
    return {(q, k) for q in queries for k in known if _deletion_forms(q) & _deletion_forms(k)}


def _blocked(queries: list[str], known: list[str]) -> set[tuple[str, str]]:
    pairs = near_pairs(
        pl.DataFrame({"query": queries, "text": queries}),
        pl.DataFrame({"org_id": known, "candidate": known}),
        min_chars=1,
    )
    return set(zip(pairs["query"], pairs["org_id"], strict=True))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="华泰商贸鑫源", min_size=1, max_size=6), min_size=1, max_size=12),
    st.lists(st.text(alphabet="华泰商贸鑫源", min_size=1, max_size=6), min_size=1, max_size=30),
)
def test_blocking_finds_every_pair_one_edit_apart(queries: list[str], known: list[str]) -> None:
    found = _blocked(queries, known)
    assert _brute_force(queries, known) <= found
    # exactly the pairs that share a deletion form (whatever prunes the work must not lose
    # one), so nothing further than two edits (one deletion on each side)
    assert found == _sharing_a_form(queries, known)
    assert all(OSA.distance(q, k) <= 2 for q, k in found)


def test_blocking_on_realistic_names_is_exact_and_tight() -> None:
    rng = random.Random(5)
    factory = NameFactory(rng)
    labels = [
        factory.company(("临沭县", "山东", ""), (1, 1, 1), trade, "有限公司")
        for trade in factory.trades(3000)
    ]
    known = [label.name for label in labels]
    typos = [factory.lookalike(label, register=False).name for label in rng.sample(labels, 60)]
    queries = typos + rng.sample(known, 40)
    found = _blocked(queries, known)
    truly_near = _brute_force(queries, known)
    assert truly_near <= found == _sharing_a_form(queries, known)
    assert len(truly_near) >= 100  # every typo finds its original, every name itself
    # candidates are the near pairs themselves, not every name sharing 商贸 or 有限公司
    assert len(found) <= 2 * len(truly_near)


def test_close_names_keeps_the_closest_form_per_org() -> None:
    queries = pl.DataFrame({"query": ["q"], "name_key": ["华秦商贸有限公司"]})
    known = pl.DataFrame(
        {
            "name_key": ["华泰商贸有限公司", "山东华泰商贸有限公司", "鼎盛建材有限公司"],
            "org_id": ["A", "A", "B"],
        }
    )
    close = close_names(queries, known)
    assert close.select("query", "org_id", "distance").rows() == [("q", "A", 1)]
    assert close["similarity"][0] == 87.5
