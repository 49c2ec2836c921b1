"""统一社会信用代码 (GB 32100-2015): valid codes per kind, and the typos officials make."""

from __future__ import annotations

import random

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: 0-9, A-Z without I O Z S V
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organization code
_ORG_CODE_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# (registering authority digit + entity category digit, prefix of a post-2015 organization code)
PREFIXES: dict[str, tuple[str, str]] = {
    "enterprise": ("91", "MA"),
    "individual_business": ("92", "MA"),
    "association": ("51", "MJ"),
    "service_org": ("52", "MJ"),
    "foundation": ("53", "MJ"),
    "law_firm": ("31", "MD"),
}


def check_digit(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    return (
        len(code) == 18
        and code[:8].isdigit()
        and all(c in _VALUE for c in code[8:])
        and code[17] == check_digit(code[:17])
    )


def _org_code(body8: str) -> str:
    """An organization code: 8 characters plus the GB 11714 check character."""
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(body8, _ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return body8 + ("X" if check == 10 else "0" if check == 11 else str(check))


class CodeFactory:
    """Issues unique valid codes; pre-2015 organizations keep their numeric organization code."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._issued: set[str] = set()

    def issue(self, code_kind: str, area: str, modern: bool) -> str:
        head, modern_prefix = PREFIXES[code_kind]
        rng = self._rng
        while True:
            if modern:
                body = modern_prefix + "".join(rng.choices(_ORG_CODE_BODY, k=6))
            else:
                body = f"{rng.randrange(10_000_000, 100_000_000):08d}"
            first17 = head + area + _org_code(body)
            code = first17 + check_digit(first17)
            if code not in self._issued:
                self._issued.add(code)
                return code


def mistype(code: str, rng: random.Random) -> str:
    """One character substituted or two neighbours swapped, so that the check digit fails; the
    first eight characters stay digits, as in a real slip of the finger."""
    while True:
        chars = list(code)
        i = rng.randrange(17)
        if rng.random() < 0.5 and i != 7 and chars[i] != chars[i + 1]:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            pool = "0123456789" if i < 8 else ALPHABET
            chars[i] = rng.choice(pool.replace(chars[i], ""))
        typo = "".join(chars)
        if not is_valid(typo):
            return typo
