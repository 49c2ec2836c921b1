"""The engine's one entry point: source records, people's corrections, a policy and a day →
the reconciled and screened county. ``liangxin build`` and every web path call ``run``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from liangxin.engine.policies import Policy
from liangxin.engine.reconcile import Reconciled, reconcile
from liangxin.engine.reconcile.overrides import (
    NO_OVERRIDES,
    Overrides,
    correct_records,
    override_reconciled,
)
from liangxin.engine.records import complete_records
from liangxin.engine.schema import Kind
from liangxin.engine.screen import Screened, screen

Region = tuple[list[str], list[str]]  # the county's region prefixes and words


@dataclass
class Run:
    records: dict[Kind, pl.DataFrame]  # the source rows the engine ran on, as given
    reconciled: Reconciled
    screened: Screened


def run(
    records: dict[Kind, pl.DataFrame],
    policy: Policy,
    as_of: date,
    overrides: Overrides = NO_OVERRIDES,
    region: Region | None = None,
) -> Run:
    """``records``: one frame of source rows per kind, as the intake reads them; ``region``
    when they are only part of the county (see ``reconcile``)."""
    corrected = correct_records(records, overrides.matches)
    reconciled = reconcile(complete_records(corrected), region)
    reconciled = override_reconciled(reconciled, overrides)
    return Run(records, reconciled, screen(reconciled, policy, as_of))
