import random

import pytest
from stdnum.cn import uscc

from liangxin.synth.codes import ALPHABET, PREFIXES, CodeFactory, check_digit, is_valid, mistype


def test_check_digit_agrees_with_stdnum():
    rng = random.Random(3)
    for _ in range(2000):
        body = "".join(rng.choices("0123456789", k=8)) + "".join(rng.choices(ALPHABET, k=9))
        code = body + check_digit(body)
        assert uscc.is_valid(code), code
        assert is_valid(code)


@pytest.mark.parametrize("kind", sorted(PREFIXES))
@pytest.mark.parametrize("modern", [True, False])
def test_issued_codes_are_valid_unique_and_tell_their_kind(kind, modern):
    factory = CodeFactory(random.Random(5))
    codes = [factory.issue(kind, "371329", modern) for _ in range(3000)]
    assert len(set(codes)) == len(codes)
    head, organization_prefix = PREFIXES[kind]
    for code in codes:
        assert uscc.is_valid(code), code
        assert code.startswith(head + "371329")
        assert code[8:10] == organization_prefix if modern else code[8:16].isdigit()


def test_mistyped_codes_fail_the_check_digit():
    factory, rng = CodeFactory(random.Random(8)), random.Random(9)
    for _ in range(3000):
        code = factory.issue("enterprise", "371329", rng.random() < 0.5)
        typo = mistype(code, rng)
        assert len(typo) == 18 and typo[:8].isdigit()
        assert not uscc.is_valid(typo)
        assert 1 <= sum(a != b for a, b in zip(code, typo, strict=True)) <= 2
