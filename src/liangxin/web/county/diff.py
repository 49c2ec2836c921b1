"""Compare the rows the engine proposes with the rows stored.

A whole county is compared a slice of keys at a time (``diff_county``): each slice's proposed
rows are made from the engine's frames and its stored rows read by primary key, and its
changes go to ``sink`` (the preview writes them to the database) before the next slice is
made. Only source rows whose links may have changed are read at all: a stored row that the
engine ran on keeps the values it was read with, so it changes only if its organization or
entity does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from liangxin.engine.schema import Kind
from liangxin.web.county.inputs import Stored
from liangxin.web.county.models import Change
from liangxin.web.county.proposal import Proposal, Rows, record_rows
from liangxin.web.county.records import frame_rows
from liangxin.web.county.specs import ORG, RECORD, SPECS, Spec, current_records
from liangxin.web.county.unchanged import unchanged_orgs
from liangxin.web.sources.keys import record_key_expr
from liangxin.web.sources.models import SourceRecord

Sink = Callable[[list[Change]], None]
SLICE = 2000


def diff(spec: Spec, stored: Rows, proposed: Rows) -> tuple[list[Change], int]:
    """(unsaved changes, number of unchanged objects)."""
    changes, unchanged = [], 0
    for key, after in proposed.items():
        before = stored.get(key)
        if before is None:
            changes.append(_change(spec, key, Change.Action.NEW, None, after))
        elif before != after:
            changes.append(_change(spec, key, Change.Action.UPDATED, before, after))
        else:
            unchanged += 1
    for key, before in stored.items():
        if key not in proposed:
            changes.append(_change(spec, key, Change.Action.REMOVED, before, None))
    return changes, unchanged


def diff_county(
    proposal: Proposal,
    stored: Stored,
    sink: Sink,
    uploaded: Mapping[Kind, pl.DataFrame] | None = None,
) -> dict[str, dict[str, int]]:
    """Every change of the county, slice by slice into ``sink``; the counts per model.

    ``uploaded``: the rows of an upload (``records.conform``ed intake frames), whose files
    replace the stored ones of the same name (``Stored`` was read without them)."""
    counts = {}
    for spec in SPECS:
        tally: Counter[str] = Counter()
        if spec is RECORD:
            slices = _record_slices(proposal, stored, uploaded or {})
        else:
            slices = _object_slices(spec, proposal)
        for changes, unchanged in slices:
            tally.update(c.action for c in changes)
            tally["unchanged"] += unchanged
            sink(changes)
        counts[spec.name] = {a.value: tally[a.value] for a in Change.Action}
        counts[spec.name]["unchanged"] = tally["unchanged"]
    return counts


def _object_slices(spec: Spec, proposal: Proposal):
    """Organizations, party organizations, instructors, parks: proposed and stored side by
    side by key, compared a slice at a time."""
    proposed = proposal.frames[spec.name]
    index = pl.DataFrame(
        list(spec.model.objects.values_list(spec.key, "pk")),
        schema={"key": pl.String, "pk": pl.Int64},
        orient="row",
    )
    both = (
        proposed.select("key")
        .with_row_index("_row")
        .join(index, on="key", how="full", coalesce=True, maintain_order="left")
    )
    if spec is ORG:
        unchanged = unchanged_orgs(proposed)
        yield [], len(unchanged)
        both = both.filter(~pl.col("key").is_in(unchanged.implode()))
    for part in both.iter_slices(SLICE):
        rows = part["_row"].drop_nulls()
        after = proposal.rows(spec, proposed[rows]) if len(rows) else {}
        before = dict(spec.current_rows(part["pk"].drop_nulls().to_list()))
        yield diff(spec, before, after)


def _record_slices(proposal: Proposal, stored: Stored, uploaded: Mapping[Kind, pl.DataFrame]):
    """Source rows. A stored row the engine ran on (``kept``) keeps its values: it is
    unchanged when it is linked as stored, and read only when it is not. An uploaded row is
    compared with the stored row of its key, if any; a stored row nobody ran on is gone."""
    both = proposal.frames[RECORD.name].join(
        stored.index.select("key", "pk", "kept", _org="org_id", _entity="entity_id"),
        on="key",
        how="full",
        coalesce=True,
        maintain_order="left",
    )
    same = (
        pl.col("kept").fill_null(False)
        & pl.col("org_id").eq_missing(pl.col("_org"))
        & (pl.col("entity_id") == pl.col("_entity"))
    )
    yield [], both.filter(same).height
    values = _UploadedValues(uploaded)
    for part in both.filter(~same).iter_slices(SLICE):
        pks = part["pk"].drop_nulls().to_list()
        before = dict(current_records(SourceRecord.objects.filter(pk__in=pks)))
        kept = {key: row["values"] for key, row in before.items()}
        after = record_rows(part.filter(pl.col("kind").is_not_null()), kept | values.of(part))
        yield diff(RECORD, before, after)


class _UploadedValues:
    """The values of uploaded rows, made for the keys of a slice only."""

    def __init__(self, uploaded: Mapping[Kind, pl.DataFrame]):
        self.uploaded = uploaded
        self.index = pl.concat(
            [
                frame.select(key=record_key_expr(), kind=pl.lit(kind.value)).with_row_index("_row")
                for kind, frame in uploaded.items()
            ]
            or [pl.DataFrame(schema={"_row": pl.UInt32, "key": pl.String, "kind": pl.String})]
        )

    def of(self, part: pl.DataFrame) -> dict[str, dict[str, Any]]:
        found = part.select("key").join(self.index, on="key")
        values = {}
        for (kind,), rows in found.group_by("kind"):
            for row in frame_rows(Kind(kind), self.uploaded[Kind(kind)][rows["_row"]]):
                values[row["key"]] = row["values"]
        return values


def _change(spec: Spec, key: str, action: str, before: dict | None, after: dict | None) -> Change:
    row = after or before or {}
    named = row.get("values", {}) if spec is RECORD else row
    label = next((named[k] for k in ("name", "party_org_name", "park_name") if named.get(k)), key)
    return Change(
        model=spec.name, key=key, action=action, label=str(label)[:300], before=before, after=after
    )
