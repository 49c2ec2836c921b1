"""The reconciled tables the screening reads, with the columns and types it relies on.

Reconciliation leaves a field typed as text and empty when no extract had it (no survey, no
tax extract); the screening still needs every column, typed, so each input is conformed here.
"""

from __future__ import annotations

import polars as pl

from liangxin.engine.reconcile import Reconciled
from liangxin.engine.schema import Kind

# Organization fields the rules read; each with its ``<field>_source``.
ORG_FIELDS: dict[str, pl.DataType] = {
    "name": pl.String(),
    "legal_form": pl.String(),
    "reg_status": pl.String(),
    "town": pl.String(),
    "operating": pl.String(),
    "has_premises": pl.Boolean(),
    "employees": pl.Int64(),
    "revenue_wan": pl.Float64(),
    "tax_status": pl.String(),
    "survey_formal_members": pl.Int64(),
    "park": pl.String(),
}
ORG_IDENTITY: dict[str, pl.DataType] = {
    "org_id": pl.String(),
    "credit_code": pl.String(),
    "kind": pl.String(),
    "subtype": pl.String(),
}
PARTY_ORG_COLUMNS: dict[str, pl.DataType] = {
    "entity_id": pl.String(),
    "party_org_name": pl.String(),
    "type": pl.String(),
    "mode_code": pl.String(),
    "active": pl.Boolean(),
    "formal_members": pl.Int64(),
    "probationary_members": pl.Int64(),
    "members": pl.Int64(),
    "unit_org_ids": pl.List(pl.String()),
    "unit_count": pl.Int64(),
    "source": pl.String(),
}
INSTRUCTOR_COLUMNS: dict[str, pl.DataType] = {
    "entity_id": pl.String(),
    "name": pl.String(),
    "unit": pl.String(),
    "position": pl.String(),
    "full_time": pl.String(),
    "town": pl.String(),
    "unit_org_ids": pl.List(pl.String()),
    "source": pl.String(),
}
PARK_COLUMNS: dict[str, pl.DataType] = {
    "entity_id": pl.String(),
    "park_name": pl.String(),
    "level": pl.String(),
    "park_kind": pl.String(),
    "town": pl.String(),
    "unit_org_ids": pl.List(pl.String()),
    "source": pl.String(),
}


def conform(frame: pl.DataFrame, columns: dict[str, pl.DataType]) -> pl.DataFrame:
    """``frame`` with every one of ``columns`` present (empty if missing) and cast to its type."""
    return frame.with_columns(
        pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name)
        for name, dtype in columns.items()
    )


def org_table(reconciled: Reconciled) -> pl.DataFrame:
    columns = dict(ORG_IDENTITY)
    for field, dtype in ORG_FIELDS.items():
        columns[field] = dtype
        columns[f"{field}_source"] = pl.String()
    return conform(reconciled.orgs, columns)


def entity_table(
    reconciled: Reconciled, kind: Kind, columns: dict[str, pl.DataType]
) -> pl.DataFrame:
    """The party organizations, instructors or parks; an empty table when there were none."""
    frame = reconciled.entities.get(kind)
    if frame is None:
        return pl.DataFrame(schema=columns)
    return conform(frame, columns).select(columns.keys())


def units_named(reconciled: Reconciled) -> pl.DataFrame:
    """(entity_id, units_named): how many units each row names, resolved or not.

    A unit may be named in two columns (code and name); the column naming the most counts.
    """
    refs = reconciled.unit_refs
    if refs.is_empty():
        return pl.DataFrame(schema={"entity_id": pl.String, "units_named": pl.Int64})
    return (
        refs.group_by("entity_id", "column")
        .agg(n=pl.col("ref_text").n_unique())
        .group_by("entity_id")
        .agg(units_named=pl.col("n").max().cast(pl.Int64))
    )
