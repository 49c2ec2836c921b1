import re

import polars as pl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.cn import uscc

from liangxin.engine.normalize.codes import (
    CODE_ALPHABET,
    _expected_check_char,
    code_from_clean,
    code_is_valid,
    code_kind,
    code_problem,
    is_valid_code,
    normalize_code,
)
from liangxin.engine.normalize.text import clean_text

VALID = "91110000600037341L"
DIGITS = "0123456789"


def checks(values):
    """Rows of (normalised code, valid, problem) for raw cells."""
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    out = frame.select(n=normalize_code(pl.col("v"))).with_columns(
        valid=code_is_valid(pl.col("n")), problem=code_problem(pl.col("n"))
    )
    return out.rows()


def oracle(code):
    """stdnum's verdict on a normalised code.

    stdnum also wants digits in positions 1–8; GB 32100 allows letters for the registering
    authority (Y 其他, N 农业 …), so there only stdnum's check-digit calculation is the oracle.
    """
    if code is None:
        return False
    well_formed = re.fullmatch(f"[{CODE_ALPHABET}]{{18}}", code) is not None
    if well_formed and not re.fullmatch("[0-9]{8}", code[:8]):
        return uscc.calc_check_digit(code[:17]) == code[17]
    return uscc.is_valid(code)


def with_check(body: str) -> str:
    return body + uscc.calc_check_digit(body)


stdnum_bodies = st.tuples(
    st.text(alphabet=DIGITS, min_size=8, max_size=8),
    st.text(alphabet=CODE_ALPHABET, min_size=9, max_size=9),
).map("".join)
any_bodies = st.text(alphabet=CODE_ALPHABET, min_size=17, max_size=17)
valid_codes = st.one_of(stdnum_bodies, any_bodies).map(with_check)
# Near-codes: the alphabet, letters it excludes, lower case, full width, separators.
near_codes = st.text(alphabet=CODE_ALPHABET + "IOZSVlo０Ａ -—_./", min_size=15, max_size=21)


def to_full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def assert_agrees(values):
    for raw, (code, valid, problem) in zip(values, checks(values), strict=True):
        assert valid == oracle(code), (raw, code)
        assert (problem is None) == (valid or code is None), (raw, code, problem)


@given(st.lists(st.one_of(st.text(max_size=25), near_codes), max_size=30))
def test_agrees_with_stdnum_on_arbitrary_text(values):
    assert_agrees(values)


@given(st.lists(valid_codes, min_size=1, max_size=30))
def test_generated_valid_codes_are_valid(codes):
    assert all(valid for _, valid, _ in checks(codes))
    assert_agrees(codes)


@given(
    valid_codes,
    st.integers(0, 17),
    st.sampled_from(CODE_ALPHABET + "IOZSV"),
    st.sampled_from(["replace", "delete", "insert", "swap"]),
)
def test_mutated_codes_agree_with_stdnum(code, i, c, how):
    if how == "replace":
        mutated = code[:i] + c + code[i + 1 :]
    elif how == "delete":
        mutated = code[:i] + code[i + 1 :]
    elif how == "insert":
        mutated = code[:i] + c + code[i:]
    else:
        j = min(i + 1, 17)
        mutated = code[:i] + code[j] + code[i + 1 : j] + code[i] + code[j + 1 :]
    [(_, valid, problem)] = checks([mutated])
    assert valid == oracle(mutated)
    if how == "replace" and mutated != code:
        # Weights are non-zero modulo the prime 31: every single substitution is caught.
        assert not valid and problem in ("校验位错误", "代码含非法字符")


@given(valid_codes, st.data())
def test_written_variants_normalise_to_the_same_valid_code(code, data):
    spaced = "".join(
        c + data.draw(st.sampled_from(["", " ", "-", "\u3000", "—", "_", "."])) for c in code
    )
    variants = [code.lower(), to_full_width(code), f"  {spaced} ", to_full_width(spaced.lower())]
    for normalised, valid, problem in checks(variants):
        assert (normalised, valid, problem) == (code, True, None)


@given(st.lists(st.one_of(st.text(max_size=25), near_codes), max_size=30))
def test_normalisation_is_idempotent(values):
    once = [row[0] for row in checks(values)]
    assert [row[0] for row in checks(once)] == once


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (VALID, None),
        (None, None),
        ("   ", None),
        ("9111000060003734", "代码长度应为18位（实为16位）"),
        ("91110000600037341L9", "代码长度应为18位（实为19位）"),
        ("911100006000373I1L", "代码含非法字符"),
        ("91110000600037341O", "代码含非法字符"),
        ("91110000600037341M", "校验位错误"),
        ("9111 0000-6000 3734 1l", None),
    ],
)
def test_problem_examples(raw, problem):
    [(_, valid, found)] = checks([raw])
    assert found == problem
    assert valid == (problem is None and raw is not None and raw.strip() != "")


def test_letter_authority_codes_are_accepted_where_stdnum_is_stricter():
    code = with_check("Y1371329MA3C00001")
    assert is_valid_code(code)
    assert not uscc.is_valid(code)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (VALID, "enterprise"),
        ("92371329MA3C00001X", "individual_business"),
        ("93", "farmer_cooperative"),
        ("51371329", "association"),
        ("52", "service_org"),
        ("53", "foundation"),
        ("31", "law_firm"),
        ("12371329", None),
        ("9", None),
        (None, None),
    ],
)
def test_code_kind(code, kind):
    frame = pl.DataFrame({"v": [code]}, schema={"v": pl.String})
    assert frame.select(code_kind(pl.col("v"))).item() == kind


@example(VALID)
@given(st.one_of(valid_codes, near_codes))
def test_scalar_matches_vectorised(raw):
    [(_, valid, _)] = checks([raw])
    assert is_valid_code(raw) == valid


def test_scalar_edge_cases():
    assert is_valid_code(" ９１１１００００６０００３７３４１Ｌ ")
    assert not is_valid_code(None)
    assert not is_valid_code("")


@given(st.one_of(any_bodies, st.text(alphabet=CODE_ALPHABET + "IOZ?a ", max_size=19)))
def test_check_character_is_stdnums(body):
    """The vectorised check character is stdnum's for 17 alphabet characters, else null."""
    frame = pl.DataFrame({"c": [body]}, schema={"c": pl.String})
    expected = frame.select(_expected_check_char(pl.col("c"))).item()
    if re.match(f"[{CODE_ALPHABET}]{{17}}", body):
        assert expected == uscc.calc_check_digit(body[:17])
    else:
        assert expected is None


@given(st.lists(st.one_of(st.text(max_size=25), near_codes), max_size=30))
def test_clean_text_needs_no_second_nfkc(values):
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String}).select(clean_text(pl.col("v")))
    again = frame.select(normalize_code(pl.col("v")))
    assert again.equals(frame.select(code_from_clean(pl.col("v"))))
