"""Names: organizations (unique after normalisation, as real registries enforce), people, phones."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

from liangxin.synth import pools

ZIHAO_CHARS = tuple(dict.fromkeys(pools.ZIHAO_CHARS))
_TRADES = tuple(word for word, _, _ in pools.INDUSTRIES)
_TRADE_WEIGHTS = tuple(weight for _, _, weight in pools.INDUSTRIES)
INDUSTRY_OF_TRADE = {word: sector for word, sector, _ in pools.INDUSTRIES}
SURNAMES = tuple(dict.fromkeys(pools.SURNAMES))
GIVEN_CHARS = tuple(dict.fromkeys(pools.GIVEN_CHARS))


def short_region(county: str) -> str:
    """临沭县 → 临沭, 兰山区 → 兰山 (费县 stays 费县: one character is not a name)."""
    return county[:-1] if len(county) > 2 else county


def town_short(town: str) -> str:
    return re.sub("(街道|镇|乡)$", "", town)


_REGIONS = sorted(
    {pools.PROVINCE, pools.PROVINCE[:-1], pools.CITY, pools.CITY[:-1], *pools.OUTSIDE_REGIONS}
    | {county for county, _ in pools.COUNTIES}
    | {short_region(county) for county, _ in pools.COUNTIES},
    key=len,
    reverse=True,
)
_LEADING_REGION = re.compile("^(?:" + "|".join(_REGIONS) + ")+")
_BRACKETED_REGION = re.compile(r"\((?:" + "|".join(_REGIONS) + r")\)")


def name_key(name: str) -> str:
    """What makes two registered names the same (NFKC, no spaces, brackets and 有限责任公司
    unified, region prefix or bracketed region dropped)."""
    s = "".join(unicodedata.normalize("NFKC", name).split()).replace("有限责任公司", "有限公司")
    s = _BRACKETED_REGION.sub("", s)
    return _LEADING_REGION.sub("", s)


@dataclass(frozen=True, slots=True)
class OrgName:
    name: str
    region: str  # the region word written before the 字号 or in brackets after it ("" if none)
    zihao: str  # the 字号, where look-alikes and typos differ ("" if the name has none)
    at: int  # where the 字号 starts in the name


def person_name(rng: random.Random) -> str:
    given = (
        rng.choice(GIVEN_CHARS) if rng.random() < 0.35 else "".join(rng.choices(GIVEN_CHARS, k=2))
    )
    return rng.choice(SURNAMES) + given


def phone(rng: random.Random) -> str:
    return rng.choice(pools.MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


class NameFactory:
    """Composes names and keeps them unique under ``name_key``."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._keys: set[str] = set()
        # exact names of organizations that differ from another only in their region word
        # (registered at another level): no variant may be written as one of them
        self.level_twins: set[str] = set()

    def _claim(self, compose) -> OrgName:
        while True:
            candidate = compose()
            key = name_key(candidate.name)
            if key not in self._keys:
                self._keys.add(key)
                return candidate

    def _zihao(self) -> str:
        rng = self._rng
        length = rng.choices((2, 3, 4), cum_weights=(78, 96, 100))[0]
        return "".join(rng.choices(ZIHAO_CHARS, k=length))

    def trades(self, n: int) -> list[str]:
        return self._rng.choices(_TRADES, _TRADE_WEIGHTS, k=n)

    def company(
        self, regions: tuple[str, ...], weights: tuple[int, ...], trade: str, suffix: str
    ) -> OrgName:
        """[region] 字号 [（region）] trade suffix, e.g. 临沭县华泰商贸有限公司, 华泰（临沂）木业有限公司."""
        rng = self._rng

        def compose() -> OrgName:
            zihao = self._zihao()
            region = rng.choices(regions, weights)[0]
            if region and rng.random() < 0.08:
                region = short_region(region)
                return OrgName(f"{zihao}（{region}）{trade}{suffix}", region, zihao, 0)
            return OrgName(f"{region}{zihao}{trade}{suffix}", region, zihao, len(region))

        return self._claim(compose)

    def local(self, county: str, middle: str, tail: str) -> OrgName:
        """County-prefixed names of state-owned units, shops and social organizations:
        临沭县 [middle] 字号 tail, e.g. 临沭县蛟龙镇华泰百货商店, 临沭县育才实验学校."""
        return self._claim(lambda: self._with_zihao(county, middle, tail))

    def _with_zihao(self, region: str, middle: str, tail: str) -> OrgName:
        zihao = self._zihao()
        return OrgName(f"{region}{middle}{zihao}{tail}", region, zihao, len(region) + len(middle))

    def association(self, county: str, town: str) -> OrgName:
        """临沭县书法家协会, 临沭县蛟龙镇老年体育协会, 临沭县金秋摄影家协会."""
        rng = self._rng

        def compose() -> OrgName:
            topic = rng.choice(pools.ASSOCIATION_TOPICS) + rng.choice(pools.ASSOCIATION_SUFFIXES)
            level = rng.random()
            if level < 0.3:
                return OrgName(f"{county}{topic}", county, "", -1)
            if level < 0.6:
                return OrgName(f"{county}{town}{topic}", county, "", -1)
            return self._with_zihao(county, "", topic)

        return self._claim(compose)

    def firm(self, regions: tuple[str, ...], tail: str) -> OrgName:
        """Professional firms: 山东华泰律师事务所, 临沂鼎信会计师事务所有限公司."""
        return self._claim(lambda: self._with_zihao(self._rng.choice(regions), "", tail))

    def branch(self, parent: OrgName, place: str) -> OrgName:
        """A branch of ``parent``: 山东华泰商贸有限公司蛟龙分公司."""
        name = f"{parent.name}{place}分公司"
        self._keys.add(name_key(name))
        return OrgName(name, parent.region, parent.zihao, parent.at)

    def lookalike(self, original: OrgName, register: bool) -> OrgName:
        """A name one character away from ``original`` that no other organization has: a 字号
        character replaced, or 商贸 → 商务 style. ``register`` claims it for a new organization;
        otherwise it is a typo of the original."""
        rng = self._rng
        name, zihao, at = original.name, original.zihao, original.at
        after = name[at + len(zihao) :]
        swaps = [w for w in pools.LOOKALIKE_INDUSTRIES if zihao and after.startswith(w)]
        while True:
            new_zihao = zihao
            if swaps and rng.random() < 0.4:
                old = swaps[0]
                candidate = (
                    name[: at + len(zihao)] + pools.LOOKALIKE_INDUSTRIES[old] + after[len(old) :]
                )
            elif zihao:
                i = rng.randrange(len(zihao))
                new_zihao = zihao[:i] + rng.choice(ZIHAO_CHARS) + zihao[i + 1 :]
                candidate = name[:at] + new_zihao + after
            else:  # no 字号: one character of the topic changes
                i = rng.randrange(len(original.region), len(name) - 2)
                candidate = name[:i] + rng.choice(ZIHAO_CHARS) + name[i + 1 :]
            key = name_key(candidate)
            if candidate != name and key not in self._keys:
                if register:
                    self._keys.add(key)
                return OrgName(candidate, original.region, new_zihao, at)

    def other_trade(self, original: OrgName) -> OrgName | None:
        """The same region and 字号 in another trade (华泰机械 → 华泰建材), or None."""
        name, zihao, at = original.name, original.zihao, original.at
        if not zihao:
            return None
        after = name[at + len(zihao) :]
        trade = self.trade_of(original)
        if not trade:
            return None
        for _ in range(20):
            other = self._rng.choice(_TRADES)
            candidate = name[: at + len(zihao)] + other + after[len(trade) :]
            if other != trade and name_key(candidate) not in self._keys:
                self._keys.add(name_key(candidate))
                return OrgName(candidate, original.region, zihao, at)
        return None

    def other_level(self, original: OrgName, region: str) -> OrgName | None:
        """The same name registered at another level: its region word replaced by ``region``."""
        if not original.region or not original.name.startswith(original.region):
            return None
        candidate = region + original.name[len(original.region) :]
        if candidate == original.name or candidate in self.level_twins:
            return None
        self.level_twins.update((candidate, original.name))
        return OrgName(candidate, region, original.zihao, len(region))

    def trade_of(self, label: OrgName) -> str:
        """The trade word after the 字号 ("" if none)."""
        after = label.name[label.at + len(label.zihao) :] if label.zihao else ""
        return next((t for t in sorted(_TRADES, key=len, reverse=True) if after.startswith(t)), "")
