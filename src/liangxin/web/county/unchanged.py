"""The organizations a run leaves as they are, found column by column (PostgreSQL).

Comparing a million organizations as rows means reading each stored one through Django and
making each proposed one in Python: 95 of the 228 s of a whole-county re-run at 1M. Most do
not change. So the stored organizations are copied out as CSV in one ``COPY``, read by Polars
and compared with the proposed frame field by field; only those that may differ go through
the exact comparison of rows (``diff``). An organization counts as unchanged only if every
field and every cited source is equal and it cites no source the proposal does not; a field
of a type this does not know turns the shortcut off.
"""

from __future__ import annotations

import io
import re

import polars as pl
from django.db import connection, models
from psycopg.sql import Literal

from liangxin.web.county.proposal import json_ready
from liangxin.web.county.specs import ORG
from liangxin.web.orgs.models import Org

SLICE = 20_000
NAME = re.compile(r"[a-z][a-z0-9_]*")
NUMBER = (pl.Float64, lambda text: text.cast(pl.Float64))
# Django field → the proposal's dtypes that compare with it, and how its CSV text (every value
# quoted, NULL unquoted) is read to compare with the proposal's JSON-ready column.
READERS = {
    models.CharField: ((pl.String, pl.Null), lambda text: text),
    models.TextField: ((pl.String, pl.Null), lambda text: text),
    models.DateField: ((pl.String, pl.Null), lambda text: text),  # ISO on both sides
    models.BooleanField: ((pl.Boolean, pl.Null), lambda text: text == "t"),
    models.IntegerField: NUMBER,
    models.FloatField: NUMBER,
}


def unchanged_orgs(proposed: pl.DataFrame) -> pl.Series:
    """The keys of the proposed organizations stored exactly as proposed (none on SQLite,
    where counties are small and the rows are compared one by one). A slice of keys at a
    time, so that neither side is ever held whole as text."""
    none = pl.Series("key", [], pl.String)
    if connection.vendor != "postgresql":
        return none
    fields = [f for f in ORG.fields if f not in ("org_id", "sources")]  # joined on org_id
    readers = {f: _reader(Org._meta.get_field(f)) for f in fields}
    types = json_ready(proposed.head(0), fields).schema
    if any(r is None or not _fits(types[f], r[0]) for f, r in readers.items()):
        return none
    cited = [c for c in proposed.columns if c.endswith("_source")]
    order = proposed["org_id"].arg_sort()
    found = [none]
    for start in range(0, len(order), SLICE):
        part = proposed[order.slice(start, SLICE)]
        found.append(_unchanged(part, readers, cited))
    return pl.concat(found)


def _unchanged(part: pl.DataFrame, readers: dict, cited: list[str]) -> pl.Series:
    """Of a slice of proposed organizations sorted by key, those stored as proposed."""
    fields = list(readers)
    after = json_ready(part, ["org_id", *fields])
    cites = pl.sum_horizontal(pl.col(cited).is_not_null()) if cited else pl.lit(0)
    stored = _stored(fields, [c.removesuffix("_source") for c in cited], part["org_id"])
    both = pl.concat([after, part.select(*cited, _cites=cites)], how="horizontal").join(
        stored, left_on="org_id", right_on="s_org_id"
    )
    equal = [pl.col(f).eq_missing(read(pl.col(f"s_{f}"))) for f, (_, read) in readers.items()]
    equal += [pl.col(c).eq_missing(pl.col(f"s_{c}")) for c in cited]
    equal.append(pl.col("_cites") == pl.col("s_cites"))
    floats = [f for f in fields if after.schema[f].is_float()]
    nan = pl.any_horizontal(pl.col(floats).is_nan()) if floats else pl.lit(False)
    same = pl.all_horizontal(equal).fill_null(False) & ~nan.fill_null(False)
    return both.filter(same)["org_id"].alias("key")


def _reader(field: models.Field):
    for kind, reader in READERS.items():
        if isinstance(field, kind):
            return reader
    return None


def _fits(dtype: pl.DataType, allowed) -> bool:
    if allowed is pl.Float64:
        return dtype.is_numeric() or dtype == pl.Null
    return dtype in allowed


def _stored(fields: list[str], cited: list[str], keys: pl.Series) -> pl.DataFrame:
    """The stored organizations with keys from the first to the last of ``keys`` (sorted),
    as text; in the database's collation the range may hold others, or miss some, which then
    take the exact comparison."""
    quote = connection.ops.quote_name
    sources = quote(Org._meta.get_field("sources").column)
    columns = [f"{quote(Org._meta.get_field(f).column)} AS {quote('s_' + f)}" for f in fields]
    for name in cited:
        if not NAME.fullmatch(name):  # the engine's own column names; never a quote in them
            raise ValueError(name)
        columns.append(f"{sources} ->> '{name}' AS {quote(f's_{name}_source')}")
    columns.append(
        f"CASE WHEN jsonb_typeof({sources}) = 'object' THEN "
        f"(SELECT count(*) FROM jsonb_object_keys({sources})) END AS s_cites"
    )
    data = io.BytesIO()
    with connection.cursor() as cursor:
        first, last = (Literal(key).as_string(cursor.cursor) for key in (keys[0], keys[-1]))
        query = (
            f"SELECT {quote('org_id')} AS s_org_id, {', '.join(columns)} "
            f"FROM {quote(Org._meta.db_table)} WHERE {quote('org_id')} BETWEEN {first} AND {last}"
        )
        # floats in their shortest exact form: a rounded one could look equal to another
        cursor.execute("SET extra_float_digits = 3")
        with cursor.cursor.copy(
            f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER, FORCE_QUOTE *)"
        ) as copy:
            for block in copy:
                data.write(block)
        cursor.execute("RESET extra_float_digits")
    data.seek(0)
    return pl.read_csv(data, infer_schema=False).with_columns(pl.col("s_cites").cast(pl.Int64))
