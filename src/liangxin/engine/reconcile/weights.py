"""Fellegi–Sunter weights for a row without a valid code against its candidate organizations
(docs/linkage.md).

Every candidate pair is compared on separate parts — the name (whole, 字号 and trade, region
word), the organizational form, the 镇街, the legal representative, the address, a near code —
each at one level. A level weighs log2(m / u): m is settings data (``linkage.toml``), u is
estimated from the registered organizations of this build (how often an organization the row
does not belong to agrees at that level by chance: the frequency of the 字号 and trade, Σp² of
the 镇街s, …). A row belongs to at most one organization, so the probability of a candidate is
its likelihood ratio against all of the row's candidates and against “none of them”.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

SETTINGS_FILE = Path(__file__).with_name("linkage.toml")
NAME_LEVELS = ("exact", "same_core", "other_region", "slip")
COMPARISONS = ("form", "town", "legal_rep", "address")


@dataclass(frozen=True)
class Settings:
    prior_registered: float
    link: float
    review: float
    m: dict[str, dict[str, float]]  # comparison → level → m (and name_u: the prior of u)

    @property
    def m_unseen(self) -> float:
        """m of a name written so differently that no candidate was found."""
        return max(1e-3, 1 - sum(self.m["name"].values()))


@cache
def settings(path: Path = SETTINGS_FILE) -> Settings:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    m = {k: v for k, v in data.items() if isinstance(v, dict)}
    return Settings(data["prior_registered"], data["link"], data["review"], m)


def agreement(values: pl.Series, blank_is_value: bool = False) -> float:
    """u of “the same”: the chance two random organizations share a value (Σp² over values;
    a blank counts as a value of its own with ``blank_is_value``)."""
    values = values.fill_null("") if blank_is_value else values.drop_nulls()
    if values.is_empty():
        return 1.0
    shares = values.value_counts()["count"].cast(pl.Float64) / values.len()
    return max(float((shares**2).sum()), 1e-9)


@dataclass(frozen=True)
class Chance:
    """u of every level, from the registered organizations of this build."""

    orgs: int  # registered organizations (valid codes)
    name: dict[str, float]  # name level → chance two different organizations agree so
    same: dict[str, float]  # comparison → u of “the same”
    form_absent: float

    def u(self, comparison: str, level: str) -> float:
        if comparison == "form" and level == "absent":
            return self.form_absent
        same = self.same[comparison]
        if level == "same":
            return same
        if comparison == "form":
            return max(1 - same - self.form_absent, 1e-9)
        return max(1 - same, 1e-9)


def chance(orgs: pl.DataFrame, name_pairs: dict[str, int], sample: int) -> Chance:
    """``orgs``: one row per registered organization (form, town, legal_rep, address);
    ``name_pairs``: name level → how many pairs of ``sample`` registered organizations agree
    at that level; added to the prior of ``linkage.toml`` ([name_u])."""
    prior = settings().m["name_u"]
    seen = prior["prior_pairs"]
    p_null = orgs["form"].null_count() / max(orgs.height, 1)
    pairs = sample * (sample - 1) / 2
    same_prior = settings().m["same_u"]
    k = same_prior["prior_orgs"]
    same = {}
    for c in COMPARISONS:
        n = orgs.height if c == "form" else orgs.height - orgs[c].null_count()
        seen = agreement(orgs[c], blank_is_value=c == "form")
        same[c] = (seen * n + same_prior[c] * k) / (n + k)
    return Chance(
        orgs=max(orgs.height, 1),
        name={lv: (n + prior[lv] * seen) / (pairs + seen) for lv, n in name_pairs.items()},
        same=same,
        form_absent=max(2 * p_null * (1 - p_null), 1e-9),
    )


def weigh(pairs: pl.DataFrame, u: Chance, s: Settings) -> pl.DataFrame:
    """Adds ``weight`` (log2 likelihood ratio) and ``probability`` to candidate pairs with the
    level columns ``name`` (NAME_LEVELS, or null: no name in common),
    ``form``/``town``/``legal_rep``/``address`` (same/absent/different, or null when a side is
    blank) and ``code_near`` (bool)."""
    names = {lv: math.log2(m / u.name[lv]) for lv, m in s.m["name"].items()}
    weight = pl.col("name").replace_strict(names, default=math.log2(s.m_unseen))
    for comparison in COMPARISONS:
        levels = s.m[comparison]
        table = {lv: math.log2(m / u.u(comparison, lv)) for lv, m in levels.items()}
        weight = weight + pl.col(comparison).replace_strict(table, default=0.0)
    near = math.log2(s.m["code"]["near"] / s.m["code"]["near_u"])
    weight = weight + pl.when(pl.col("code_near")).then(near).otherwise(0.0)
    # a row matches one of its candidates (prior p/N each), one never found, or none (1 − p)
    prior = math.log2(s.prior_registered / u.orgs)
    rest = s.prior_registered * s.m_unseen + (1 - s.prior_registered)
    odds = pl.lit(2.0).pow(weight + prior)
    return (
        pairs.with_columns(weight=weight)
        .with_columns(_odds=odds)
        .with_columns(probability=pl.col("_odds") / (pl.col("_odds").sum().over("rec_id") + rest))
        .drop("_odds")
    )
