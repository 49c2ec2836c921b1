import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from liangxin.engine.normalize.text import clean_text, squeeze_text

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
