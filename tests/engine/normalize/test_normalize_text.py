import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from liangxin.engine.normalize.text import (
    WHITESPACE_CHARS,
    clean_text,
    let,
    null_if_empty,
    squeeze_clean,
    squeeze_text,
)

WHITESPACE = " \t\n\u3000\u00a0\u200b\ufeff"
messy_text = st.one_of(
    st.text(alphabet=st.sampled_from("华泰商贸（）【】[]〔〕ａＡ1１´" + WHITESPACE), max_size=20),
    st.text(max_size=20),
)


def run(fn, values):
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    return frame.select(fn(pl.col("v"))).to_series().to_list()


@pytest.mark.parametrize(
    ("raw", "cleaned", "squeezed"),
    [
        ("  华泰　 商贸\u00a0有限公司 ", "华泰 商贸 有限公司", "华泰商贸有限公司"),
        ("华泰（临沭）", "华泰(临沭)", "华泰(临沭)"),
        ("【临沭】〔2019〕[A]", "(临沭)(2019)(A)", "(临沭)(2019)(A)"),
        ("ＡＢＣ１２３", "ABC123", "ABC123"),
        ("\u200b华泰\ufeff", "华泰", "华泰"),
        ("", None, None),
        (" \u3000\t", None, None),
        (None, None, None),
    ],
)
def test_examples(raw, cleaned, squeezed):
    assert run(clean_text, [raw]) == [cleaned]
    assert run(squeeze_text, [raw]) == [squeezed]


@given(st.lists(messy_text, max_size=20))
def test_clean_and_squeeze_are_idempotent_and_consistent(values):
    cleaned = run(clean_text, values)
    squeezed = run(squeeze_text, values)
    assert run(clean_text, cleaned) == cleaned
    assert run(squeeze_text, squeezed) == squeezed
    assert run(squeeze_text, cleaned) == squeezed
    for c, s in zip(cleaned, squeezed, strict=True):
        assert c != "" and s != ""
        if c is not None:
            assert c == c.strip() and "  " not in c
            assert not set(c) & set("（）【】[]〔〕\u3000\u00a0\u200b\ufeff")
        if s is not None:
            assert not set(s) & set(WHITESPACE)


# Unicode that interacts with NFKC and whitespace: full width, NBSP, zero width, combining
# marks (which compose once the space before them is gone), Hangul jamo, long s, brackets.
tricky_text = st.text(
    alphabet=st.sampled_from(
        "华泰aA1１ＡａſΩ가\u1161\u11a8´\u0301\u0308\u0316\u0345()（）【】[]〔〕"
        " \t\n\r\u3000\u00a0\u200b\u200c\u200d\ufeff\u00ad\u2028\x85"
    ),
    max_size=20,
)


def squeeze_reference(e: pl.Expr) -> pl.Expr:
    """squeeze_text as first written: NFKC, brackets, whitespace removed, NFKC, empty → null."""
    brackets = {"【": "(", "〔": "(", "[": "(", "】": ")", "〕": ")", "]": ")"}
    squeezed = e.str.normalize("NFKC").str.replace_many(brackets)
    squeezed = squeezed.str.replace_all(rf"[{WHITESPACE_CHARS}]+", "").str.normalize("NFKC")
    return pl.when(squeezed != "").then(squeezed)


@given(st.lists(st.one_of(tricky_text, messy_text), max_size=20))
def test_squeeze_of_clean_text_is_squeeze_text(values):
    expected = run(squeeze_reference, values)
    assert run(squeeze_text, values) == expected
    assert run(lambda e: squeeze_clean(clean_text(e)), values) == expected


def test_let_computes_once_and_keeps_the_name():
    frame = pl.DataFrame({"v": ["a", "", None]})
    out = frame.select(let(pl.col("v").str.to_uppercase(), lambda v: pl.concat_str(v, v)))
    assert out.columns == ["v"]
    assert out["v"].to_list() == ["AA", "", None]
    series = pl.Series("s", ["x", ""])
    assert pl.select(null_if_empty(series)).to_series().to_list() == ["x", None]
