import math
from datetime import date

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from liangxin.engine.normalize.text import clean_text, squeeze_text
from liangxin.engine.normalize.values import (
    FALSE_TOKENS,
    TRUE_TOKENS,
    bool_from_clean,
    count_from_clean,
    date_from_clean,
    failed_from_clean,
    money_from_clean,
    parse_bool,
    parse_count,
    parse_date,
    parse_failed,
    parse_money_wan,
)

SPACES = ["", " ", "\u3000", "\u00a0", "\t"]


def run(fn, values):
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    return frame.select(fn(pl.col("v"))).to_series().to_list()


def to_full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def close(a, b):
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# --- counts ---------------------------------------------------------------------------------


def count_shapes(n: int) -> list[str]:
    shapes = [str(n), f"{n}人", f"{n} 人", f"{n:,}", f"{n:,}人", f"{n}.0", f"约{n}人"]
    return [*shapes, f"\u3000{n}\u00a0", to_full_width(f"{n}人"), to_full_width(f"{n:,}")]


@given(st.lists(st.integers(0, 10**15), min_size=1, max_size=20))
def test_count_shapes_parse_back(numbers):
    shapes = [(n, s) for n in numbers for s in count_shapes(n)]
    assert run(parse_count, [s for _, s in shapes]) == [n for n, _ in shapes]


@given(st.lists(st.integers(1, 10**9), min_size=1, max_size=20))
def test_negative_and_fractional_counts_are_null(numbers):
    shapes = [f"-{n}" for n in numbers] + [f"{n}.5" for n in numbers]
    assert run(parse_count, shapes) == [None] * len(shapes)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("35", 35),
        ("35人", 35),
        ("35 人", 35),
        ("３５人", 35),
        ("35.0", 35),
        ("1,200", 1200),
        ("约35人", 35),
        ("0", 0),
        ("35.5", None),
        ("-3", None),
        ("12,00", None),
        ("三十五", None),
        ("99999999999999999999", None),
        ("", None),
        (None, None),
    ],
)
def test_count_examples(raw, expected):
    assert run(parse_count, [raw]) == [expected]


# --- money ----------------------------------------------------------------------------------

amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(st.lists(amounts, min_size=1, max_size=20), st.sampled_from([None, "元", "万元", "亿元"]))
def test_cell_units_win_over_the_header(xs, header_unit):
    def parse(e):
        return parse_money_wan(e, header_unit)

    shapes = [
        (x, s)
        for x in xs
        for s in (f"{x}万元", f"{x}万", f"{x * 10000}元", f"{x / 10000}亿元", f"{x / 10000}亿")
    ]
    shapes += [(x, to_full_width(s)) for x, s in shapes]
    parsed = run(parse, [s for _, s in shapes])
    assert all(close(p, x) for p, (x, _) in zip(parsed, shapes, strict=True)), parsed


@given(st.lists(amounts, min_size=1, max_size=20))
def test_bare_numbers_use_the_header_unit(xs):
    bare = [str(x) for x in xs]
    assert all(close(p, x) for p, x in zip(run(parse_money_wan, bare), xs, strict=True))
    as_wan = run(lambda e: parse_money_wan(e, "万元"), bare)
    assert all(close(p, x) for p, x in zip(as_wan, xs, strict=True))
    as_yuan = run(lambda e: parse_money_wan(e, "元"), bare)
    assert all(close(p, x / 10000) for p, x in zip(as_yuan, xs, strict=True))


@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=20))
def test_thousands_separators(ns):
    parsed = run(lambda e: parse_money_wan(e, "元"), [f"{n:,}" for n in ns])
    assert all(close(p, n / 10000) for p, n in zip(parsed, ns, strict=True))


@pytest.mark.parametrize(
    ("raw", "header_unit", "expected"),
    [
        ("2,350万元", "元", 2350.0),
        ("2350万", None, 2350.0),
        ("23500000元", "万元", 2350.0),
        ("1.2亿元", None, 12000.0),
        ("1.2亿", "元", 12000.0),
        ("2350", None, 2350.0),
        ("2350", "万元", 2350.0),
        ("23500000", "元", 2350.0),
        ("23500000", " (元) ", 2350.0),
        ("2.35E+07", "元", 2350.0),
        ("¥23,500,000.00元", None, 2350.0),
        ("５０千元", None, 5.0),
        ("约2350万元", None, 2350.0),
        ("-12.5万元", None, -12.5),
        ("二千万元", None, None),
        ("2350美元", None, None),
        ("1e400", None, None),
        (" ", None, None),
        (None, "元", None),
    ],
)
def test_money_examples(raw, header_unit, expected):
    assert run(lambda e: parse_money_wan(e, header_unit), [raw]) == [expected]


def test_unknown_header_unit_is_an_error():
    with pytest.raises(ValueError, match="无法识别的金额单位"):
        parse_money_wan(pl.col("v"), "美元")


# --- dates ----------------------------------------------------------------------------------


def written_shapes(d: date) -> list[str]:
    y, m, day = d.year, d.month, d.day
    shapes = [
        d.isoformat(),
        f"{d.isoformat()} 00:00:00",
        f"{d.isoformat()}T08:30:00.000",
        f"{y}年{m}月{day}日",
        f"{y}年{m:02}月{day:02}日",
        f"{y} 年 {m} 月 {day} 日",
        f"{y}.{m}.{day}",
        f"{y}/{m:02}/{day:02}",
        f"{y}/{m}/{day}",
        f"{y}{m:02}{day:02}",
    ]
    serial = (d - date(1899, 12, 30)).days
    shapes += [str(serial), f"{serial}.0", f"{serial}.25"]
    return shapes + [to_full_width(s) for s in shapes]


@given(st.lists(st.dates(date(1950, 1, 1), date(2049, 12, 31)), min_size=1, max_size=10))
def test_every_written_shape_parses_back(dates):
    shapes = [(d, s) for d in dates for s in written_shapes(d)]
    assert run(parse_date, [s for _, s in shapes]) == [d for d, _ in shapes]


@given(st.lists(st.dates(date(1900, 3, 1), date(2100, 12, 31)), min_size=1, max_size=30))
def test_excel_serials_round_trip(dates):
    serials = [(d - date(1899, 12, 30)).days for d in dates]
    expected = [None if 1900 <= s <= 2100 else d for s, d in zip(serials, dates, strict=True)]
    assert run(parse_date, [str(s) for s in serials]) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-03-05", date(2019, 3, 5)),
        ("2019-03-05 00:00:00", date(2019, 3, 5)),
        ("2019年3月5日", date(2019, 3, 5)),
        ("２０１９．３．５", date(2019, 3, 5)),
        ("20190305", date(2019, 3, 5)),
        ("43529", date(2019, 3, 5)),
        ("43529.0", date(2019, 3, 5)),
        ("2020-02-29", date(2020, 2, 29)),
        ("1", date(1900, 1, 1)),
        ("59", date(1900, 2, 28)),
        ("60", None),  # Excel's 1900-02-29, which did not exist
        ("61", date(1900, 3, 1)),
        ("2019", None),  # a year typed alone, not serial 2019
        ("2019-02-30", None),
        ("2019-13-01", None),
        ("20190230", None),
        ("2019年3月", None),
        ("1899-12-31", None),
        ("2101-01-01", None),
        ("2958465", None),  # 9999-12-31: a serial, but not a plausible date
        ("0", None),
        ("-1", None),
        ("不详", None),
        ("", None),
        (None, None),
    ],
)
def test_date_examples(raw, expected):
    assert run(parse_date, [raw]) == [expected]


# --- booleans -------------------------------------------------------------------------------


@st.composite
def written_tokens(draw, tokens):
    token = draw(st.sampled_from(tokens))
    token = "".join(draw(st.sampled_from([c.lower(), c.upper()])) for c in token)
    if draw(st.booleans()):
        token = to_full_width(token)
    return draw(st.sampled_from(SPACES)) + token + draw(st.sampled_from(SPACES))


@given(
    st.lists(written_tokens(TRUE_TOKENS), max_size=10),
    st.lists(written_tokens(FALSE_TOKENS), max_size=10),
)
def test_every_token_with_any_case_width_and_spacing(trues, falses):
    assert run(parse_bool, trues + falses) == [True] * len(trues) + [False] * len(falses)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("√", True),
        ("Y", True),
        ("yes", True),
        ("true", True),
        ("有", True),
        ("否", False),
        ("×", False),
        ("n", False),
        ("false", False),
        ("没有", False),
        ("无", False),
        ("不确定", None),
        ("", None),
        (None, None),
    ],
)
def test_bool_examples(raw, expected):
    assert run(parse_bool, [raw]) == [expected]


# --- failures -------------------------------------------------------------------------------


def test_parse_failed_tells_missing_from_unparsable():
    frame = pl.DataFrame({"raw": ["35人", "三十五", "", " \u3000", None]})
    failed = frame.select(parse_failed(pl.col("raw"), parse_count(pl.col("raw")))).to_series()
    assert failed.to_list() == [False, True, False, False, False]


# --- already-clean text -----------------------------------------------------------------------

# Cells as typed plus Unicode that interacts with NFKC and whitespace removal.
typed_cells = st.text(
    alphabet=st.sampled_from(
        "0123456789０１２３４５６７８９,.，．-/:T年月日人名约元千万亿¥Ee+是否有无没对√×✓✗"
        "YyNnSsOoTtRrUuFfAaLlſ()（）【】´\u0301\u0308\u0345가\u1161"
        " \t\n\u3000\u00a0\u200b\ufeff\u00ad"
    ),
    max_size=20,
)
from_clean = [
    (parse_count, count_from_clean),
    (parse_money_wan, money_from_clean),
    (lambda e: parse_money_wan(e, "元"), lambda e: money_from_clean(e, "元")),
    (parse_date, date_from_clean),
    (parse_bool, bool_from_clean),
]


@given(st.lists(st.one_of(typed_cells, st.text(max_size=20)), max_size=20))
def test_parsing_clean_text_needs_no_second_cleaning(values):
    """Intake parses its cleaned cells with the `_from_clean` forms; they agree with the
    parsers, which clean again (the composition intake used before)."""
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String}).select(clean_text(pl.col("v")))
    for parse, parse_clean in from_clean:
        again = frame.with_columns(p=parse(pl.col("v")))
        once = frame.with_columns(p=parse_clean(pl.col("v")))
        assert again.equals(once)
        failed_again = again.select(failed_reference(pl.col("v"), pl.col("p")))
        failed_once = again.select(failed_from_clean(pl.col("v"), pl.col("p")))
        assert failed_again.equals(failed_once)


def failed_reference(raw: pl.Expr, parsed: pl.Expr) -> pl.Expr:
    """parse_failed as first written: the squeezed cell has content, the value is null."""
    return squeeze_text(raw).is_not_null() & parsed.is_null()
