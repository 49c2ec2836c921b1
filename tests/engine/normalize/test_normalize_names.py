import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from liangxin.engine.normalize.names import (
    infer_region_prefixes,
    name_key,
    name_parts,
    region_words,
)

REGIONS = ["山东省", "山东", "临沂市", "临沂", "临沭县", "临沭"]
# Characters for 字号 that cannot start a region prefix or spell a legal form.
TRADE_CHARS = "华泰宏达鑫源恒通金顺福瑞兴旺盛德明光新天成美嘉禾安康永丰"
INDUSTRIES = ["商贸", "科技", "建材", "食品", "物流", "木业", "机械", "农业发展"]
FORMS = ["有限公司", "股份有限公司", "合伙企业", "农民专业合作社", ""]
BRACKETS = [("(", ")"), ("（", "）"), ("【", "】"), ("[", "]"), ("〔", "〕"), ("［", "］")]
SPACES = [" ", "\u3000", "\u00a0", "\t", "\u200b"]

trade_names = st.text(alphabet=TRADE_CHARS + "ABC", min_size=2, max_size=4)


@st.composite
def org_names(draw, trade=trade_names):
    name = draw(trade)
    if draw(st.booleans()):
        name += f"({draw(st.sampled_from(REGIONS))})"
    return name + draw(st.sampled_from(INDUSTRIES)) + draw(st.sampled_from(FORMS))


def keys(values, prefixes=REGIONS):
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    return frame.select(name_key(pl.col("v"), prefixes)).to_series().to_list()


def key(value, prefixes=REGIONS):
    return keys([value], prefixes)[0]


def assert_same_key(*names):
    assert len(set(keys(list(names)))) == 1, names


def to_full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("华泰 商贸有限公司", "华泰商贸有限公司"),
        ("华泰(临沭)商贸有限公司", "华泰商贸有限公司"),
        ("华泰（临沭县）商贸有限责任公司", "华泰商贸有限公司"),
        ("山东省临沂市临沭县华泰商贸有限公司", "华泰商贸有限公司"),
        ("临沭华泰商贸有限公司", "华泰商贸有限公司"),
        ("华泰商贸(有限责任公司)", "华泰商贸有限公司"),
        ("华泰商贸有限(责任)公司", "华泰商贸有限公司"),
        ("【临沭】华泰商贸有限公司", "华泰商贸有限公司"),
        ("华泰商贸有限公司临沭分公司", "华泰商贸有限公司临沭分公司"),
        ("华泰商贸股份有限公司", "华泰商贸股份有限公司"),
        ("ａｂｃ科技有限公司", "ABC科技有限公司"),
        ("临沭县城", "县城"),  # 临沭县 would leave one character; the shorter 临沭 is stripped
        ("临沭县", "临沭县"),
        ("临沭镇", "临沭镇"),
        ("(临沭)X", "(临沭)X"),
        ("  ", None),
        (None, None),
    ],
)
def test_examples(raw, expected):
    assert key(raw) == expected


def test_without_prefixes_regions_are_kept():
    assert key("山东省华泰(临沭)商贸有限责任公司", ()) == "山东省华泰(临沭)商贸有限公司"


def test_prefixes_are_normalised_and_tried_longest_first():
    assert key("临沭县华泰商贸", ["临沭", " 临沭县 "]) == "华泰商贸"
    assert key("临沭县华泰商贸", ["临沭"]) == "县华泰商贸"


@given(st.lists(st.one_of(org_names(), st.text(max_size=12)), max_size=20))
def test_idempotent(values):
    once = keys(values)
    assert keys(once) == once


@given(org_names(), st.data())
def test_invariant_under_spaces(name, data):
    spaced = "".join(c + data.draw(st.sampled_from(["", "", *SPACES])) for c in name)
    assert_same_key(name, f" {spaced}\u3000")


@given(org_names())
def test_invariant_under_full_width(name):
    assert_same_key(name, to_full_width(name))


@given(org_names(), st.sampled_from(BRACKETS))
def test_invariant_under_bracket_style(name, brackets):
    assert_same_key(name, name.replace("(", brackets[0]).replace(")", brackets[1]))


@given(org_names())
def test_limited_liability_is_limited(name):
    assert_same_key(
        name, name.replace("有限公司", "有限责任公司"), name.replace("有限公司", "(有限责任公司)")
    )


@given(org_names(), st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3))
def test_invariant_under_region_prefixes(name, prefixes):
    assert_same_key(name, "".join(prefixes) + name)


@given(st.data())
def test_different_trade_names_give_different_keys(data):
    first, second = data.draw(trade_names), data.draw(trade_names)
    tail = data.draw(st.sampled_from(INDUSTRIES)) + "有限公司"
    first_key, second_key = keys([first + tail, second + tail])
    assert (first_key == second_key) == (first.upper() == second.upper())


@given(org_names(), st.sampled_from(["分公司", "临沂分公司", "第一分公司"]))
def test_branch_stays_distinct(name, branch):
    branch_key, org_key = keys([name + branch, name])
    assert branch_key != org_key and branch_key.endswith(branch)


def realistic_names() -> list[str]:
    names = []
    for i, trade in enumerate(TRADE_CHARS):
        industry = INDUSTRIES[i % len(INDUSTRIES)]
        names += [
            f"临沭县{trade}{industry}有限公司",
            f"临沭{trade}鑫{industry}有限公司",
            f"山东{trade}达{industry}有限公司",
            f"山东省临沂市{trade}盛{industry}股份有限公司",
            f"临沂市{trade}源{industry}有限公司",
            f"{trade}祥{industry}有限公司",
            f"{trade}和{industry}有限公司",
            f"{trade}(临沭){industry}有限公司",
        ]
    # Rare tokens that look like regions: a supermarket, a single town from elsewhere.
    return [*names, "阳光超市", "兰山区天成商贸有限公司", "  ", None]


def test_infer_region_prefixes_on_a_realistic_list():
    names = pl.Series(realistic_names())
    found = infer_region_prefixes(names)
    assert found == ["临沂市", "临沭县", "山东省", "临沂", "临沭", "山东"]
    assert infer_region_prefixes(names, min_share=0.05) == found
    # A quarter of the names start with 临沭 (县 or bare), 临沂(市) or 山东(省); 1/8 with 临沭县.
    assert infer_region_prefixes(names, min_share=0.2) == ["临沂市", "临沂", "临沭", "山东"]
    assert "阳光超市" in infer_region_prefixes(names, min_share=0.001)


def test_infer_region_prefixes_without_regions():
    assert infer_region_prefixes(pl.Series([], dtype=pl.String)) == []
    assert infer_region_prefixes(pl.Series(["华泰商贸有限公司", None])) == []


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("临沭县华泰机械有限责任公司", ("临沭县", "华泰机械", "有限公司")),
        ("华泰机械公司", (None, "华泰机械", "公司")),
        ("华泰机械", (None, "华泰机械", None)),
        ("山东省临沂市华泰商贸有限公司", ("山东省临沂市", "华泰商贸", "有限公司")),
        ("华泰（临沭）商贸有限公司", ("临沭", "华泰商贸", "有限公司")),
        ("临沭县蛟龙镇华泰商贸有限公司", ("临沭县蛟龙镇", "华泰商贸", "有限公司")),
        ("临沭县蛟龙华泰商贸", ("临沭县蛟龙", "华泰商贸", None)),
        ("蛟龙华泰商贸有限公司", (None, "蛟龙华泰商贸", "有限公司")),  # a 字号 may be a 镇街's
        ("鼎盛科技股份公司", (None, "鼎盛科技", "股份公司")),
        ("临沭县恒通物流合伙企业（普通合伙）", ("临沭县", "恒通物流", "合伙企业(普通合伙)")),
        ("山东华泰商贸有限公司蛟龙分公司", ("山东", "华泰商贸有限公司蛟龙分公司", None)),
        ("临沭县", (None, "临沭县", None)),
    ],
)
def test_name_parts(name: str, parts: tuple) -> None:
    names = pl.Series([name, "临沭县鼎盛商贸有限公司"])
    keys = pl.select(name_key(pl.lit(names))).to_series()
    got = name_parts(keys, region_words(names), ["蛟龙镇", "郑山街道"]).filter(
        pl.col("full_key") == keys[0]
    )
    assert got.select("region", "core", "form").row(0) == parts
