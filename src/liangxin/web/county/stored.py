"""What is stored, read back as the engine's frames: the reverse of ``proposal`` and ``specs``
(which turn the engine's frames into model rows), so that what the last commit or re-screening
wrote can be reported without running the engine again.

Each table is read in chunks of ``inputs.READ_CHUNK`` rows straight into Polars; a user's scope
is applied as the database reads (``restrict``). The 销号 tasks are read whole: which of them
a report shows follows from the organizations it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import islice

import polars as pl
from django.db import models

from liangxin.engine.normalize.text import squeeze_text
from liangxin.engine.reconcile import NOT_FOUND_SCHEMA
from liangxin.engine.schema import Kind
from liangxin.engine.screen.links import PARK_KIND
from liangxin.engine.screen.tasks import TASK_SCHEMA
from liangxin.web.closures.models import Closure
from liangxin.web.closures.sync import ENGINE_FIELDS as TASK_FIELDS
from liangxin.web.county.inputs import READ_CHUNK
from liangxin.web.county.models import NotFoundRow
from liangxin.web.county.proposal import RENAMES
from liangxin.web.county.specs import INSTRUCTOR, ORG, PARK, PARTY_ORG, Spec
from liangxin.web.orgs.models import Org
from liangxin.web.review.models import ReviewItem

ENTITY_KINDS = {Kind.PARTY_ORG: PARTY_ORG, Kind.INSTRUCTOR: INSTRUCTOR, Kind.PARK: PARK}
# The engine counts an organization's source rows with ``pl.len()``.
ENGINE_DTYPES = {"source_rows": pl.UInt32}
IDS = pl.List(pl.String)
REVIEW_SCHEMA = {
    "source_file": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
    "org_id": pl.String,
    "name": pl.String,
    "credit_code": pl.String,
    "town": pl.String,
    "candidate_org_id": pl.String,
    "candidate_name": pl.String,
    "candidate_credit_code": pl.String,
    "candidate_town": pl.String,
    "similarity": pl.Float64,
    "reason": pl.String,
}


@dataclass
class StoredCounty:
    """The part of the county a user may see, as the engine's run gave it."""

    orgs: pl.DataFrame  # ``Screened.orgs``: ENGINE_FIELDS, ``<field>_source``, the id lists
    entities: dict[Kind, pl.DataFrame]  # ``Reconciled.entities`` with ``unit_org_ids``
    tasks: pl.DataFrame  # every open 销号 task (all of them: callers scope them), TASK_SCHEMA
    review: pl.DataFrame  # ``Reconciled.review``: undecided pairs with both sides in scope
    not_found: pl.DataFrame  # ``Reconciled.not_found``: the rows of organizations in scope


def stored_county(user, as_of: date) -> StoredCounty:
    """What the user may see; tasks are overdue as of ``as_of``."""
    orgs = Org.objects.restrict(user)
    entities = {kind: _entities(spec, user) for kind, spec in ENTITY_KINDS.items()}
    return StoredCounty(
        orgs=_orgs(orgs, entities),
        entities={kind: frame.drop("_unit") for kind, frame in entities.items()},
        tasks=_open_tasks(as_of),
        review=_review(ReviewItem.objects.restrict(user)),
        not_found=_not_found(NotFoundRow.objects.restrict(user)),
    )


def _dtype(field: models.Field) -> pl.DataType:
    if isinstance(field, models.BooleanField):
        return pl.Boolean()
    if isinstance(field, models.IntegerField):
        return pl.Int64()
    if isinstance(field, models.FloatField):
        return pl.Float64()
    if isinstance(field, models.DateField):
        return pl.Date()
    return pl.String()


def _read(values: models.QuerySet, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The rows of a ``values_list`` queryset (in ``schema``'s order) as one frame."""
    rows = values.iterator(chunk_size=2000)
    parts = []
    while chunk := list(islice(rows, READ_CHUNK)):
        parts.append(pl.DataFrame(chunk, schema=schema, orient="row"))
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def _blank_as_null(*columns: str) -> list[pl.Expr]:
    """Text stored as "" where the engine had no value (``or ""`` when written)."""
    return [pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in columns]


def _orgs(orgs: models.QuerySet, entities: dict[Kind, pl.DataFrame]) -> pl.DataFrame:
    fields = [f for f in ORG.fields if f != "sources"]
    schema = {
        "pk": pl.Int64(),
        **{f: ENGINE_DTYPES.get(f, _dtype(Org._meta.get_field(f))) for f in fields},
    }
    rows = orgs.values_list(*schema, "sources").iterator(chunk_size=2000)
    parts = []
    while chunk := list(islice(rows, READ_CHUNK)):
        values = pl.DataFrame([r[:-1] for r in chunk], schema=schema, orient="row")
        cited = pl.from_dicts([r[-1] for r in chunk], infer_schema_length=None)
        parts.append(values.hstack(cited.select(pl.all().cast(pl.String).name.suffix("_source"))))
    frame = pl.concat(parts, how="diagonal") if parts else pl.DataFrame(schema=schema)
    return frame.drop("pk").with_columns(
        party_org_ids=_ids_of(entities[Kind.PARTY_ORG].filter(pl.col("active")), frame),
        instructor_ids=_ids_of(entities[Kind.INSTRUCTOR], frame),
        # only a 园区 (not a 楼宇, 商圈 …) lists an organization in a park (docs/rules.md §R5.2)
        park_ids=_ids_of(
            entities[Kind.PARK].filter(
                squeeze_text(pl.col("park_kind")).str.contains(PARK_KIND).fill_null(False)
            ),
            frame,
        ),
    )


def _ids_of(entities: pl.DataFrame, orgs: pl.DataFrame) -> pl.Series:
    """Per organization of ``orgs`` (in order), the sorted ids of the entities listing it."""
    listed = (
        entities.select("entity_id", org_pk="_unit")
        .explode("org_pk")
        .group_by("org_pk")
        .agg(ids=pl.col("entity_id").unique().sort())
    )
    return (
        orgs.select(org_pk="pk")
        .join(listed, on="org_pk", how="left", maintain_order="left")
        .select(pl.col("ids").fill_null(pl.lit([], dtype=IDS)))
        .to_series()
    )


def _entities(spec: Spec, user) -> pl.DataFrame:
    """The party organizations, instructors or parks in scope, with engine column names,
    their units' ``unit_org_ids`` and (``_unit``) primary keys."""
    renames = RENAMES[spec.name]
    fields = [f for f in spec.fields if f != "unresolved_units"]
    model = spec.model
    schema = {"pk": pl.Int64(), **{f: _dtype(model._meta.get_field(f)) for f in fields}}
    found = _read(
        model.objects.restrict(user).values_list(*schema, "unresolved_units"),
        {**schema, "unresolved_units": pl.String()},
    )
    own = f"{model._meta.model_name}_id"
    units = (
        _read(
            spec.through.objects.filter(**{f"{own}__in": model.objects.restrict(user)}).values_list(
                own, "org_id", "org__org_id"
            ),
            {"pk": pl.Int64(), "_unit": pl.Int64(), "unit_org_ids": pl.String()},
        )
        .group_by("pk")
        .agg(pl.col("_unit"), pl.col("unit_org_ids").sort())
    )
    return (
        found.join(units, on="pk", how="left", maintain_order="left")
        .with_columns(
            pl.col("unit_org_ids").fill_null(pl.lit([], dtype=IDS)),
            pl.col("_unit").fill_null(pl.lit([], dtype=pl.List(pl.Int64))),
            unresolved_units=pl.when(pl.col("unresolved_units") != "")
            .then(pl.col("unresolved_units").str.split("、"))
            .otherwise(pl.lit([], dtype=IDS)),
        )
        .drop("pk")
        .rename({f: renames[f] for f in fields if f in renames})
    )


def _open_tasks(as_of: date) -> pl.DataFrame:
    """The open 销号 tasks in the engine's task table, ordered as the engine orders them."""
    schema = {f: TASK_SCHEMA[f] for f in (*TASK_FIELDS, "task_id", "deadline", "status")}
    found = _read(Closure.objects.open().values_list(*schema), schema)
    return (
        found.with_columns(
            *_blank_as_null(*(f for f in TASK_FIELDS if f != "subject_id")),
            overdue=pl.lit(as_of) > pl.col("deadline"),
        )
        .select(TASK_SCHEMA.keys())
        .sort("deadline", "task_kind", "subject_id", nulls_last=False)
    )


def _review(items: models.QuerySet) -> pl.DataFrame:
    """The undecided pairs as the engine listed them (the queue keeps its order)."""
    stored = [c for c in REVIEW_SCHEMA if not c.startswith("source_")]
    columns = ["record_org_id" if c == "org_id" else c for c in stored]
    found = _read(
        items.order_by("pk").values_list("record_key", *columns),
        {"record_key": pl.String(), **{c: REVIEW_SCHEMA[c] for c in stored}},
    )
    source = pl.col("record_key").str.extract_groups(r"^(.*)\|(.*)\|(-?\d+)$")
    return found.with_columns(
        _blank_as_null(*(c for c in stored if REVIEW_SCHEMA[c] == pl.String)),
        source_file=source.struct[0],
        source_sheet=source.struct[1],
        source_row=source.struct[2].cast(pl.Int64),
    ).select(REVIEW_SCHEMA.keys())


def _not_found(rows: models.QuerySet) -> pl.DataFrame:
    """The rows found in no register, in the engine's order (``org_id`` is stored as
    ``record_org_id``: the foreign key has the name)."""
    columns = ["record_org_id" if c == "org_id" else c for c in NOT_FOUND_SCHEMA]
    return _read(rows.order_by("pk").values_list(*columns), NOT_FOUND_SCHEMA)
