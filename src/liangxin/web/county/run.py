"""The web's one call of the engine: stored source rows (plus an upload being previewed) and
the corrections people made in the browser → the reconciled and screened county.

Nothing here writes to the database.
"""

from __future__ import annotations

import polars as pl

from liangxin.engine import Run, run
from liangxin.engine.reconcile.overrides import NO_OVERRIDES, Overrides
from liangxin.engine.schema import Kind
from liangxin.web.core.policy import as_of, current_policy


def run_county(
    records: dict[Kind, pl.DataFrame],
    overrides: Overrides = NO_OVERRIDES,
    words: dict[str, list[str]] | None = None,
) -> Run:
    """``records``: source rows as ``records.to_frames`` types them; ``words`` (see
    ``county_words``) when they are only part of the county."""
    records = {kind: frame for kind, frame in records.items() if frame.height}
    region = None if words is None else (words["prefixes"], words["words"])
    return run(records, current_policy(), as_of(), overrides, region)


def county_words(outcome: Run) -> dict[str, list[str]]:
    """What a run on part of the county needs to know of the whole (``CountyWords``)."""
    return {
        "prefixes": outcome.reconciled.region_prefixes,
        "words": outcome.reconciled.region_words,
    }
