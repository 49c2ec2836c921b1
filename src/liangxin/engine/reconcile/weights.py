"""Fellegi–Sunter weights for a row without a valid code against its candidate organizations
(docs/linkage.md).

Every candidate pair is compared on separate parts — the name (whole, 字号 and trade, region
word), the organizational form, the 镇街, the legal representative, the address, a near code —
each at one level. A level weighs log2(m / u). m is settings data (``linkage.toml``), except
the 镇街's, which the organizations of this build show (how often two rows of one organization
state different 镇街). u — how often a row agrees at that level with an organization it does
not belong to — comes from the registered organizations of this build: for the whole name and
the 字号 and trade, how many other registered organizations share the row's own value (its
candidate block) plus those not yet seen; for a 字号 one character off, how often two of them
are; for the rest, Σp² of the 镇街s, the people, the addresses, the forms. A row belongs to at
most one organization, so the probability of a candidate is its likelihood ratio against all of
the row's candidates and against “none of them”.
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
# the name levels whose u is the frequency of the row's own value among registered organizations
BLOCK_KEYS = {"exact": "full_key", "same_core": "core", "other_region": "core"}


@dataclass(frozen=True)
class Settings:
    prior_registered: float
    link: float
    review: float
    m: dict[str, dict[str, float]]  # comparison → level → m (and the priors of u: *_u, unseen)

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


def unseen_sharers(sizes: pl.Series, prior: float, prior_values: float) -> float:
    """How many organizations not among the registered ones share a value that one registered
    organization has (Good–Turing: twice the values two have, over the values one has), as if
    ``prior_values`` values had shown ``prior``. ``sizes``: registered organizations per value.
    It depends on how a county's names repeat, not on how many organizations it has."""
    once, twice = int((sizes == 1).sum()), int((sizes == 2).sum())
    return (2 * twice + prior * prior_values) / (once + prior_values)


@dataclass(frozen=True)
class Chance:
    """What the registered organizations of this build say about the levels."""

    orgs: int  # registered organizations (valid codes)
    unseen: dict[str, float]  # block key → unseen sharers of a value (``unseen_sharers``)
    slip: float  # u of 字号 and trade one character apart
    same: dict[str, float]  # comparison → u of “the same”
    form_absent: float
    moved: float  # m of “镇街 different”: rows of one organization that state another 镇街

    def u(self, comparison: str, level: str) -> float:
        if comparison == "form" and level == "absent":
            return self.form_absent
        same = self.same[comparison]
        if level == "same":
            return same
        if comparison == "form":
            return max(1 - same - self.form_absent, 1e-9)
        return max(1 - same, 1e-9)

    def m(self, comparison: str, s: Settings) -> dict[str, float]:
        if comparison == "town":
            return {"same": 1 - self.moved, "different": self.moved}
        return s.m[comparison]


def chance(
    orgs: pl.DataFrame,
    blocks: dict[str, pl.Series],
    slip_pairs: int,
    sample: int,
    moved: tuple[int, int],
) -> Chance:
    """``orgs``: one row per registered organization (form, town, legal_rep, address);
    ``blocks``: block key → registered organizations per value; ``slip_pairs``: pairs of
    ``sample`` registered organizations one character apart; ``moved``: (rows of organizations
    with a valid code that state a 镇街 another row of theirs also could, rows among them whose
    镇街 no other row of their organization states). Each is added to its prior in
    ``linkage.toml``."""
    s = settings()
    unseen = s.m["unseen"]
    slip_prior = s.m["slip_u"]
    same_prior = s.m["same_u"]
    k = same_prior["prior_orgs"]
    p_null = orgs["form"].null_count() / max(orgs.height, 1)
    same = {}
    for c in COMPARISONS:
        n = orgs.height if c == "form" else orgs.height - orgs[c].null_count()
        seen = agreement(orgs[c], blank_is_value=c == "form")
        same[c] = (seen * n + same_prior[c] * k) / (n + k)
    pairs = sample * (sample - 1) / 2
    compared, differ = moved
    rows = s.m["town"]["prior_rows"]
    return Chance(
        orgs=max(orgs.height, 1),
        unseen={
            key: unseen_sharers(sizes, unseen[key], unseen["prior_values"])
            for key, sizes in blocks.items()
        },
        slip=(slip_pairs + slip_prior["slip"] * slip_prior["prior_pairs"])
        / (pairs + slip_prior["prior_pairs"]),
        same=same,
        form_absent=max(2 * p_null * (1 - p_null), 1e-9),
        moved=(differ + s.m["town"]["different"] * rows) / (compared + rows),
    )


def weigh(pairs: pl.DataFrame, u: Chance, s: Settings) -> pl.DataFrame:
    """Adds ``weight`` (log2 likelihood ratio) and ``probability`` to candidate pairs with the
    level columns ``name`` (NAME_LEVELS, or null: no name in common) and ``block`` (registered
    organizations with the row's own whole name, or 字号 and trade, at that level — the
    candidate among them), ``form``/``town``/``legal_rep``/``address`` (same/absent/different,
    or null when a side is blank) and ``code_near`` (bool)."""
    m_name = s.m["name"]
    # u of a block level: the other registered organizations of the block, and unseen ones
    u_name = pl.lit(u.slip)
    for level, key in BLOCK_KEYS.items():
        block_u = (pl.col("block").cast(pl.Float64) - 1 + u.unseen[key]) / u.orgs
        u_name = pl.when(pl.col("name") == level).then(block_u).otherwise(u_name)
    m = pl.col("name").replace_strict(m_name, default=s.m_unseen, return_dtype=pl.Float64)
    named = pl.col("name").is_in(NAME_LEVELS).fill_null(False)
    weight = pl.when(named).then(m.log(2) - u_name.log(2)).otherwise(math.log2(s.m_unseen))
    for comparison in COMPARISONS:
        levels = u.m(comparison, s)
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
