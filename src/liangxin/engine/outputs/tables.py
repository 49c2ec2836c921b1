"""Machine-readable CSV outputs (docs/rules.md §R7): UTF-8, booleans as true/false, lists joined by “;”."""

from __future__ import annotations

from pathlib import Path

import polars as pl

ORG_IDENTITY = ("org_id", "credit_code", "name", "kind", "subtype", "town")
LINK_COLUMNS = ("source_file", "source_sheet", "source_row", "org_id", "evidence")
REJECT_COLUMNS = ("source_file", "source_sheet", "source_row", "reason")


def flatten(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV-safe: list columns joined by “;”, everything else as polars writes it."""
    lists = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
    return frame.with_columns(
        pl.col(c).list.eval(pl.element().cast(pl.String)).list.join(";") for c in lists
    )


def write_csv(frame: pl.DataFrame, path: Path) -> None:
    flatten(frame).write_csv(path, null_value="", date_format="%Y-%m-%d")


def orgs_table(orgs: pl.DataFrame) -> pl.DataFrame:
    rest = [c for c in orgs.columns if c not in ORG_IDENTITY]
    return orgs.select(*ORG_IDENTITY, *rest).sort("org_id")


def links_table(links: pl.DataFrame) -> pl.DataFrame:
    return links.select(LINK_COLUMNS).sort("source_file", "source_sheet", "source_row")


def rejects_table(rejects: pl.DataFrame) -> pl.DataFrame:
    return rejects.select(REJECT_COLUMNS).sort("source_file", "source_sheet", "source_row")
