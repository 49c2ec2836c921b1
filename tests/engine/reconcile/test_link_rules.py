"""The linking rules of docs/rules.md §R4.2 on small hand-made extracts: what is merged, what is not, and
what goes to a person."""

from __future__ import annotations

import random
import re

import polars as pl
import pytest

from liangxin.engine.reconcile import Reconciled, reconcile
from liangxin.engine.schema import Kind
from liangxin.synth.codes import check_digit
from liangxin.synth.names import NameFactory

FILES = {
    Kind.REGISTRY: "临沭县市场主体名录.xlsx",
    Kind.SOCIAL_ORG: "临沭县社会组织名录.xlsx",
    Kind.TAX: "临沭县税务登记户收入情况.csv",
    Kind.SURVEY: "临沭县两新组织摸排汇总表.xlsx",
    Kind.INSURANCE: "临沭县社保参保单位名单.csv",
}


def code(body: str) -> str:
    """A valid code from its first 17 characters."""
    return body + check_digit(body)


A = code("91371329MA3C9KQ2X")
B = code("91371329MA7DPN41L")
C = code("913713297065281XX")


def _swap(code: str, i: int) -> str:
    """Two neighbouring characters swapped: a typing slip the check digit catches."""
    return code[:i] + code[i + 1] + code[i] + code[i + 2 :]


def row(kind: Kind, name: str | None, credit_code: str | None = None, **values) -> dict:
    return {"kind": kind, "name": name, "credit_code": credit_code, **values}


TOWNS = [
    "蛟龙镇",
    "青云镇",
    "临沭街道",
    "郑山街道",
    "玉山镇",
    "店头镇",
    "大兴镇",
    "石门镇",
    "曹庄镇",
    "朱仓镇",
    "白旄镇",
    "南古镇",
]
_TEST_ZIHAO = re.compile("华|泰|鼎|恒通|鑫源")


def _background(n: int) -> list[dict]:
    """The rest of the county: n registered companies with names as the generator composes
    them, in 12 镇街, so that how often two organizations share a 镇街 or are one character
    apart is what a county shows (the weights estimate it from the data). They are listed in
    the 社会组织 file only so that the registry rows of a test keep their numbers."""
    rng = random.Random(0)
    names = NameFactory(rng)
    rows = []
    while len(rows) < n:
        label = names.company(("临沭县", ""), (1, 1), names.trades(1)[0], "有限公司")
        if _TEST_ZIHAO.search(label.name):
            continue
        i = len(rows)
        town = TOWNS[i % len(TOWNS)]
        rows.append(
            row(
                Kind.SOCIAL_ORG,
                label.name,
                code(f"91371329MJ{i:07d}"),
                town=town,
                legal_rep=f"王{label.zihao}",
                address=f"临沭县{town}{label.zihao}路{i}号",
            )
        )
    return rows


BACKGROUND = _background(300)


def run(*rows: dict) -> Reconciled:
    """Reconciles the rows as extracts of a county (``BACKGROUND``): one file per kind, the
    镇街 as sheet name."""
    records: dict[Kind, list[dict]] = {}
    for r in [*(dict(b) for b in BACKGROUND), *rows]:
        kind = r.pop("kind")
        town = r.get("town")
        sheet = town if kind in (Kind.REGISTRY, Kind.SURVEY, Kind.SOCIAL_ORG) and town else ""
        entries = records.setdefault(kind, [])
        entries.append(
            {"source_file": FILES[kind], "source_sheet": sheet, "source_row": len(entries) + 3, **r}
        )
    schema = {
        "source_file": pl.String,
        "source_sheet": pl.String,
        "source_row": pl.Int64,
        "credit_code": pl.String,
        "name": pl.String,
        "town": pl.String,
        "legal_rep": pl.String,
        "address": pl.String,
    }
    frames = {}
    for kind, entries in records.items():
        columns = {c: [e.get(c) for e in entries] for c in schema}
        frames[kind] = pl.DataFrame(columns, schema=schema)
    return reconcile(frames)


def org_of(result: Reconciled, kind: Kind, n: int) -> str:
    """The org id of the n-th row (0-based) of that kind's extract."""
    links = result.links.filter(
        (pl.col("source_file") == FILES[kind]) & (pl.col("source_row") == n + 3)
    )
    assert links.height == 1
    return links["org_id"][0]


def evidence_of(result: Reconciled, kind: Kind, n: int) -> str:
    """Why the n-th row of that kind links where it does."""
    links = result.links.filter(
        (pl.col("source_file") == FILES[kind]) & (pl.col("source_row") == n + 3)
    )
    return links["evidence"][0]


def reviewed(result: Reconciled, kind: Kind, n: int) -> dict[str, str]:
    """candidate org id → reason, for the n-th row of that kind."""
    rows = result.review.filter(
        (pl.col("source_file") == FILES[kind]) & (pl.col("source_row") == n + 3)
    )
    return dict(zip(rows["candidate_org_id"], rows["reason"], strict=True))


def test_same_valid_code_is_one_org_different_valid_codes_never_merge() -> None:
    result = run(
        row(Kind.REGISTRY, "华泰商贸有限公司", A, town="蛟龙镇"),
        row(Kind.REGISTRY, "华泰商贸有限公司", B, town="青云镇"),
        row(Kind.TAX, "临沭县华泰商贸有限责任公司", A),
        row(Kind.TAX, "鼎盛建材有限公司", B),  # same code, other name: still B
        row(Kind.INSURANCE, "华泰商贸有限公司"),  # no code, no town: which one?
    )
    assert org_of(result, Kind.REGISTRY, 0) == org_of(result, Kind.TAX, 0) == A
    assert org_of(result, Kind.REGISTRY, 1) == org_of(result, Kind.TAX, 1) == B
    assert "名称相同但统一社会信用代码不同" in reviewed(result, Kind.REGISTRY, 0)[B]
    codeless = org_of(result, Kind.INSURANCE, 0)
    assert codeless not in (A, B)
    assert set(reviewed(result, Kind.INSURANCE, 0)) == {A, B}
    assert result.orgs.height == 3 + len(BACKGROUND)


def test_the_stated_town_or_a_near_code_settles_a_shared_name() -> None:
    result = run(
        row(Kind.REGISTRY, "华泰商贸有限公司", A, town="蛟龙镇"),
        row(Kind.REGISTRY, "华泰商贸有限公司", B, town="青云镇"),
        row(Kind.SURVEY, "华泰商贸有限公司", town="青云镇"),
        row(Kind.TAX, "华泰商贸有限公司", _swap(A, 11)),
    )
    assert org_of(result, Kind.SURVEY, 0) == B
    assert reviewed(result, Kind.SURVEY, 0) == {}
    assert org_of(result, Kind.TAX, 0) == A
    assert reviewed(result, Kind.TAX, 0) == {}


@pytest.mark.parametrize(
    ("registered", "written"),
    [
        ("山东华泰商贸有限公司", "华泰商贸有限责任公司"),
        ("山东华泰商贸有限公司", "华泰（山东）商贸有限公司"),
        ("华泰(山东)商贸有限公司", "山东 华泰商贸有限公司"),
        ("临沂市华泰商贸有限公司", "山东省临沂市华泰商贸有限公司"),
        ("临沂华泰ＬＥＤ照明有限公司", "华泰LED照明有限公司"),
        ("潍坊超豪建设有限公司临沭分公司", "超豪建设有限公司临沭分公司"),
        ("华泰商贸有限公司", "临沂华泰商贸有限公司"),
    ],
    ids=[
        "province-dropped",
        "province-in-brackets",
        "brackets-moved-to-front",
        "province-added",
        "full-width",
        "city-of-a-branch",
        "city-added",
    ],
)
def test_region_words_are_dropped_where_the_names_are_otherwise_identical(
    registered: str, written: str
) -> None:
    result = run(row(Kind.REGISTRY, registered, A), row(Kind.TAX, written))
    assert org_of(result, Kind.TAX, 0) == A
    assert result.review.is_empty()


def test_a_region_word_of_another_place_links_only_a_single_candidate() -> None:
    result = run(
        row(Kind.REGISTRY, "临沂华泰商贸有限公司", A, town="蛟龙镇"),
        row(Kind.SURVEY, "山东华泰商贸有限公司", town="蛟龙镇"),
    )
    assert org_of(result, Kind.SURVEY, 0) == A
    assert "地名不同" in evidence_of(result, Kind.SURVEY, 0)
    assert result.review.is_empty()


def test_the_same_name_registered_at_two_levels_is_two_organizations() -> None:
    result = run(
        row(Kind.REGISTRY, "临沭县华泰机械有限公司", A, town="蛟龙镇"),
        row(Kind.REGISTRY, "临沂市华泰机械有限公司", B, town="蛟龙镇"),
        row(Kind.SURVEY, "临沂市华泰机械有限公司", town="蛟龙镇"),  # the whole name decides
        row(Kind.SURVEY, "华泰机械", town="蛟龙镇"),  # no region word: a person decides
        row(Kind.SURVEY, "山东省华泰机械有限公司", town="蛟龙镇"),  # neither place
    )
    assert org_of(result, Kind.SURVEY, 0) == B
    assert evidence_of(result, Kind.SURVEY, 0).startswith("名称完全相同")
    # two valid codes: no “名称相同但统一社会信用代码不同” between them
    assert reviewed(result, Kind.REGISTRY, 0) == reviewed(result, Kind.REGISTRY, 1) == {}
    for n in (1, 2):
        assert org_of(result, Kind.SURVEY, n) not in (A, B)
        assert set(reviewed(result, Kind.SURVEY, n)) == {A, B}
    assert "共2个候选" in reviewed(result, Kind.SURVEY, 1)[A]
    assert result.orgs.height == 4 + len(BACKGROUND)


def test_the_same_zihao_in_another_trade_is_another_organization() -> None:
    result = run(
        row(Kind.REGISTRY, "临沭县华泰机械有限公司", A, town="蛟龙镇"),
        row(Kind.REGISTRY, "临沭县华泰建材有限公司", B, town="蛟龙镇"),
        row(Kind.SURVEY, "华泰建材", town="蛟龙镇"),
        row(Kind.INSURANCE, "华泰机械公司"),
    )
    assert org_of(result, Kind.SURVEY, 0) == B
    assert org_of(result, Kind.INSURANCE, 0) == A
    assert evidence_of(result, Kind.INSURANCE, 0).startswith("名称简写，字号、行业相同")
    assert result.review.is_empty()


def test_short_forms_and_other_spellings_link_with_their_evidence() -> None:
    result = run(
        row(Kind.REGISTRY, "临沭县华泰机械有限责任公司", A, town="蛟龙镇"),
        row(Kind.REGISTRY, "山东鼎盛科技股份有限公司", B, town="青云镇"),
        row(Kind.REGISTRY, "临沭县恒通物流合伙企业（普通合伙）", C, town="青云镇"),
        row(Kind.SURVEY, "华泰机械", town="蛟龙镇"),
        row(Kind.SURVEY, "临沭县蛟龙镇华泰机械有限公司", town="蛟龙镇"),
        row(Kind.SURVEY, "鼎盛科技股份公司", town="青云镇"),
        row(Kind.SURVEY, "恒通物流合伙企业", town="青云镇"),
        row(Kind.INSURANCE, "临沭县华泰\n机械有限公司"),
    )
    assert [org_of(result, Kind.SURVEY, n) for n in range(4)] == [A, A, B, C]
    assert org_of(result, Kind.INSURANCE, 0) == A
    assert evidence_of(result, Kind.SURVEY, 0).startswith("名称简写，字号、行业相同，同一镇街")
    assert "唯一候选" in evidence_of(result, Kind.SURVEY, 0)
    assert result.review.is_empty()


def test_a_region_word_inside_a_trade_name_does_not_join_two_registered_orgs() -> None:
    result = run(
        row(Kind.REGISTRY, "金华鑫源商贸有限公司", A),
        row(Kind.REGISTRY, "鑫源商贸有限公司", B),
        row(Kind.TAX, "鑫源商贸有限公司"),
        row(Kind.TAX, "金华鑫源商贸有限公司"),
    )
    assert org_of(result, Kind.TAX, 0) == B
    assert org_of(result, Kind.TAX, 1) == A
    assert result.orgs.height == 2 + len(BACKGROUND)


def test_a_branch_stays_apart_from_its_company() -> None:
    result = run(
        row(Kind.REGISTRY, "山东华泰商贸有限公司", A),
        row(Kind.REGISTRY, "山东华泰商贸有限公司蛟龙分公司", B),
        row(Kind.TAX, "华泰商贸有限公司蛟龙分公司"),
        row(Kind.TAX, "华泰商贸有限公司"),
    )
    assert org_of(result, Kind.TAX, 0) == B
    assert org_of(result, Kind.TAX, 1) == A


def test_a_code_one_slip_away_links_when_the_name_is_close() -> None:
    typo = _swap(A, 10)
    assert typo != A
    result = run(
        row(Kind.REGISTRY, "华泰商贸有限公司", A),
        row(Kind.REGISTRY, "鼎盛建材有限公司", B),
        row(Kind.TAX, "华泰商务有限公司", typo),  # one character off, and the code
        row(Kind.TAX, "恒通物流有限公司", _swap(B, 12)),  # the code only: ask
    )
    assert org_of(result, Kind.TAX, 0) == A
    assert org_of(result, Kind.TAX, 1) != B
    assert "只差一处" in reviewed(result, Kind.TAX, 1)[B]


def test_name_and_code_pointing_to_different_orgs_go_to_a_person() -> None:
    result = run(
        row(Kind.REGISTRY, "华泰商贸有限公司", A),
        row(Kind.REGISTRY, "鼎盛建材有限公司", B),
        row(Kind.TAX, "华泰商贸有限公司", _swap(B, 9)),
    )
    assert org_of(result, Kind.TAX, 0) not in (A, B)
    assert set(reviewed(result, Kind.TAX, 0)) == {A, B}


REGISTERED = dict(town="蛟龙镇", legal_rep="张三", address="临沭县蛟龙镇兴大路18号")


def test_a_one_character_slip_links_the_single_candidate_but_never_beats_a_whole_name() -> None:
    result = run(
        row(Kind.REGISTRY, "华泰商贸有限公司", A, **REGISTERED),
        row(Kind.REGISTRY, "鼎盛建材有限公司", B, town="青云镇"),
        row(Kind.REGISTRY, "鼎晟建材有限公司", C, town="青云镇"),
        row(Kind.SURVEY, "华太商贸有限公司", town="蛟龙镇"),
        row(Kind.SURVEY, "鼎晟建材有限公司", town="青云镇"),
    )
    assert org_of(result, Kind.SURVEY, 0) == A
    assert evidence_of(result, Kind.SURVEY, 0).startswith("字号相差一字，同一镇街")
    assert org_of(result, Kind.SURVEY, 1) == C
    assert result.review.is_empty()


def test_a_typo_with_town_and_legal_representative_links() -> None:
    result = run(
        row(Kind.REGISTRY, "华泰商贸有限公司", A, **REGISTERED),
        row(Kind.REGISTRY, "华秦商贸有限公司", None, town="蛟龙镇", legal_rep="张 三"),
    )
    assert org_of(result, Kind.REGISTRY, 1) == A
    assert result.review.is_empty()


def test_a_typo_close_to_two_orgs_is_not_linked() -> None:
    result = run(
        row(Kind.REGISTRY, "华泰商贸有限公司", A, **REGISTERED),
        row(Kind.REGISTRY, "华奉商贸有限公司", B, **REGISTERED),
        row(Kind.REGISTRY, "华秦商贸有限公司", None, **REGISTERED),
    )
    assert org_of(result, Kind.REGISTRY, 2) not in (A, B)
    assert set(reviewed(result, Kind.REGISTRY, 2)) == {A, B}


def test_rows_without_a_code_group_by_name() -> None:
    result = run(
        row(Kind.SURVEY, "临沂鼎盛商贸有限公司", town="蛟龙镇"),
        row(Kind.TAX, "鼎盛商贸有限责任公司", "91371329MA3C9KQ2X0"),  # invalid code
        row(Kind.INSURANCE, "鼎 盛商贸有限公司"),
        row(Kind.INSURANCE, "鼎晟商贸有限公司"),  # one character off: shown, not merged
        row(Kind.TAX, None, "91371329XXXX"),  # no name: its own org by the code it shows
    )
    same = org_of(result, Kind.SURVEY, 0)
    assert same.startswith("N")
    assert org_of(result, Kind.TAX, 0) == org_of(result, Kind.INSURANCE, 0) == same
    other = org_of(result, Kind.INSURANCE, 1)
    assert other != same
    assert same in reviewed(result, Kind.INSURANCE, 1)
    assert org_of(result, Kind.TAX, 1) not in (same, other)
    assert result.orgs.height == 3 + len(BACKGROUND)


def test_a_row_found_in_no_register_is_a_finding_with_its_closest_names() -> None:
    result = run(
        row(Kind.REGISTRY, "临沭县华泰机械有限公司", A, town="蛟龙镇"),
        row(Kind.SURVEY, "华太机械合伙企业", town="青云镇"),  # a slip, another form and 镇街
        row(Kind.SURVEY, "鼎盛建材有限公司", town="青云镇"),  # nothing like it registered
        row(Kind.REGISTRY, "恒通物流有限公司", None, town="青云镇"),  # a register lists it
    )
    found = result.not_found.select("source_row", "reason", "closest")
    rows = {r["source_row"] - 3: r for r in found.to_dicts()}
    assert set(rows) == {0, 1}  # survey rows are numbered on their own
    assert {r["reason"] for r in rows.values()} == {"未在登记信息中找到"}
    assert rows[0]["closest"].startswith(
        f"临沭县华泰机械有限公司（{A}）：组织形式不同，字号相差一字，镇街不同（可能性"
    )
    assert rows[1]["closest"] == ""
    assert org_of(result, Kind.SURVEY, 0) != A
    assert result.review.is_empty()


def test_an_organization_that_moved_town_links_by_its_unique_zihao_and_trade() -> None:
    result = run(
        row(Kind.REGISTRY, "临沭县华泰机械有限公司", A, town="蛟龙镇"),
        row(Kind.SURVEY, "华泰机械有限公司", town="青云镇"),
    )
    assert org_of(result, Kind.SURVEY, 0) == A
    assert evidence_of(result, Kind.SURVEY, 0).startswith("字号、行业相同，镇街不同，唯一候选")
    assert result.review.is_empty()


def test_a_row_in_another_town_whose_zihao_and_trade_two_organizations_share_stays_apart() -> None:
    result = run(
        row(Kind.REGISTRY, "临沭县华泰机械有限公司", A, town="蛟龙镇"),
        row(Kind.REGISTRY, "临沂市华泰机械有限公司", B, town="蛟龙镇"),
        row(Kind.SURVEY, "华泰机械有限公司", town="青云镇"),
    )
    assert org_of(result, Kind.SURVEY, 0) not in (A, B)
    closest = result.not_found["closest"].item()
    assert A in closest and B in closest
    assert closest.count("字号、行业相同，镇街不同（可能性") == 2
