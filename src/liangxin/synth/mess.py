"""Cosmetic mess on the identity of an organization as each extract writes it: name variants,
stray spaces, full-width characters, missing, mistyped or badly formatted codes, typos.

Everything here either normalises back to the organization (docs/rules.md §R4.2: NFKC, spaces, brackets,
有限责任公司 ≡ 有限公司, region prefix) or is one of the recorded doubtful cases."""

from __future__ import annotations

import random
from dataclasses import dataclass

from liangxin.synth.codes import mistype
from liangxin.synth.model import Org
from liangxin.synth.names import NameFactory, OrgName, short_region
from liangxin.synth.variation import DEFAULT, Variation, vary

_TO_FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
_BRACKETS_TO_HALF = str.maketrans("（）", "()")
_BRACKETS_TO_FULL = str.maketrans("()", "（）")


@dataclass(frozen=True)
class MessRates:
    """Per-row probabilities of each kind of mess in one extract."""

    name_variant: float = 0.0
    code_missing: float = 0.0
    code_typo: float = 0.0
    name_typo: float = 0.0  # among rows whose code is missing
    code_format: float = 0.01
    fullwidth: float = 0.01
    name_space: float = 0.01
    duplicate: float = 0.005
    blank_row: float = 0.002
    garbage: float = 0.0005


def fullwidth(text: str) -> str:
    return text.translate(_TO_FULLWIDTH)


def name_variant(label: OrgName, county: str, rng: random.Random) -> str:
    """The same organization as another department spells it."""
    name = label.name
    options = []
    if "有限责任公司" in name:
        options.append(name.replace("有限责任公司", "有限公司", 1))
    elif "有限公司" in name and "股份有限公司" not in name:
        options.append(name.replace("有限公司", "有限责任公司", 1))
    if "（" in name:
        options.append(name.translate(_BRACKETS_TO_HALF))
    elif "(" in name:
        options.append(name.translate(_BRACKETS_TO_FULL))
    infix = f"（{label.region}）"
    if label.region and name.startswith(label.region):
        options.append(name[len(label.region) :])
    elif label.region and infix in name:
        options.append(name.replace(infix, "", 1))
        options.append(label.region + name.replace(infix, "", 1))
    elif label.zihao and label.at == 0:
        region = rng.choice((county, "临沂", short_region(county)))
        options.append(region + name)
        options.append(f"{label.zihao}（{short_region(county)}）{name[len(label.zihao) :]}")
    return rng.choice(options) if options else name


def stray_space(name: str, rng: random.Random) -> str:
    """华泰 商贸有限公司, 华泰商贸有限公司␣␣ (an ideographic space sometimes)."""
    if rng.random() < 0.4 or len(name) < 3:
        return name + rng.choice((" ", "  ", "\u3000"))
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + rng.choice((" ", " ", "\u3000")) + name[i:]


def badly_formatted(code: str, rng: random.Random) -> str:
    """Lower case, or grouped with spaces or dashes (both normalise away)."""
    if any(c.isalpha() for c in code) and rng.random() < 0.5:
        return code.lower()
    sep = rng.choice((" ", "-"))
    return f"{code[:2]}{sep}{code[2:8]}{sep}{code[8:17]}{sep}{code[17]}"


class Messer:
    """Writes an organization's name and code for one extract, recording what it did."""

    def __init__(
        self,
        rates: MessRates,
        names: NameFactory,
        rng: random.Random,
        variation: Variation = DEFAULT,
    ) -> None:
        self.rates = rates
        self._names = names
        self._rng = rng
        self._variation = variation

    def _vary(self, org: Org, name: str, in_list: bool = False) -> tuple[str, list[str]]:
        """The variation classes, for the extracts that spell names their own way; never the
        exact name of another organization registered at another level."""
        if not self.rates.name_variant or self._variation == DEFAULT:
            return name, []
        v, rng = self._variation, self._rng
        varied, tags = vary(org.label, name, org.county, org.town, v, rng, in_list)
        if varied != org.name and varied in self._names.level_twins:
            return name, []
        return varied, tags

    def identity(self, org: Org) -> tuple[str, str, list[str]]:
        rng, rates = self._rng, self.rates
        tags: list[str] = []
        name, code = org.name, org.credit_code
        if rng.random() < rates.name_variant:
            variant = name_variant(org.label, org.county, rng)
            if variant != name:
                name = variant
                tags.append("name_variant")
        name, varied = self._vary(org, name)
        tags += varied
        if rng.random() < rates.code_missing:
            code = ""
            tags.append("code_missing")
            if rng.random() < rates.name_typo:
                name = self._names.lookalike(org.label, register=False).name
                tags.append("name_typo")
        elif rng.random() < rates.code_typo:
            code = mistype(code, rng)
            tags.append("code_typo")
        if code and rng.random() < rates.code_format:
            code = badly_formatted(code, rng)
            tags.append("code_format")
        if rng.random() < rates.fullwidth:
            if code:
                code = fullwidth(code)
                tags.append("fullwidth")
            elif any(c.isascii() for c in name):
                name = fullwidth(name)
                tags.append("fullwidth")
        if rng.random() < rates.name_space:
            name = stray_space(name, rng)
            tags.append("name_space")
        return name, code, tags

    def reference(self, org: Org, by_code: bool) -> tuple[str, list[str]]:
        """How a party-org, instructor or park list names one of its units."""
        rng = self._rng
        if by_code:
            if rng.random() < self.rates.fullwidth:
                return fullwidth(org.credit_code), ["fullwidth"]
            return org.credit_code, []
        name, tags = org.name, []
        if rng.random() < self.rates.name_variant:
            variant = name_variant(org.label, org.county, rng)
            if variant != org.name:
                name, tags = variant, ["name_variant"]
        name, varied = self._vary(org, name, in_list=True)
        return name, tags + varied
