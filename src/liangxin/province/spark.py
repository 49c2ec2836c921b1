"""The province on Spark: each county built by the Polars engine in a Spark task
(``groupBy(county).applyInArrow``), the cross-county findings and the roll-up in Spark.

The rules live once, in ``liangxin.engine``: a task calls ``counties.build_county``, which is
``liangxin build`` on that county's folder, so a county's files are the same whichever engine
built the province. Only each county's counts, valid credit codes and errors come back to
Spark (``counties.FACTS``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from liangxin.engine.policies import Policy
from liangxin.province.counties import (
    CODE,
    COUNTS,
    FACTS,
    FAILED,
    FILE_ERROR,
    METRICS,
    County,
    build_county,
    find_counties,
)
from liangxin.province.rollup import Province, write_province

_TYPES = {pl.String: ("string", pa.string()), pl.Int64: ("bigint", pa.int64())}
FACTS_SCHEMA = ", ".join(f"{name} {_TYPES[t][0]}" for name, t in FACTS.items())
FACTS_ARROW = pa.schema([(name, _TYPES[t][1]) for name, t in FACTS.items()])


def session(master: str = "local[2]", memory: str = "1g") -> SparkSession:
    """A Spark session whose Python workers run this interpreter (so they import this very
    ``liangxin``); ``memory`` is the driver's heap, which in local mode the executors share."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(master)
        .appName("liangxin-province")
        .config("spark.driver.memory", memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.coalescePartitions.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@dataclass
class ProvinceRun:
    province: Province
    counties: list[County]


def build_province(
    spark: SparkSession, input_dir: Path, out_dir: Path, policy: Policy, as_of: date
) -> ProvinceRun:
    counties = find_counties(input_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    listed = spark.createDataFrame(
        [(c.name, c.city, str(c.folder)) for c in counties],
        "county string, city string, folder string",
    )
    spark.conf.set("spark.sql.shuffle.partitions", str(max(1, len(counties))))
    province_dir, out = input_dir.resolve(), out_dir.resolve()

    def task(table: pa.Table) -> pa.Table:  # typed: Spark picks the Arrow table API by its hints
        (row,) = table.to_pylist()
        county = County(row["county"], row["city"], Path(row["folder"]))
        return build_county(county, province_dir, out, policy, as_of).to_arrow().cast(FACTS_ARROW)

    facts = listed.groupBy("folder").applyInArrow(task, FACTS_SCHEMA).localCheckpoint(eager=True)
    province = Province(
        counties=_arrow(_counts(facts, ["city", "county"])),
        cities=_arrow(_counts(facts, ["city"])),
        total=_arrow(_counts(facts, [])),
        cross_county=_arrow(cross_county(facts)),
        problems=_arrow(
            facts.filter(F.col("part").isin(FAILED, FILE_ERROR))
            .select("city", "county", "part", "file", "error")
            .orderBy("city", "county", "file")
        ),
    )
    write_province(province, out_dir)
    return ProvinceRun(province, counties)


def _counts(facts: DataFrame, by: list[str]) -> DataFrame:
    """The counts behind both rates per kind, summed over ``by`` (the province when empty)."""
    return (
        facts.filter(F.col("part") == METRICS)
        .groupBy(*by, "kind")
        .agg(*(F.sum(c).cast("bigint").alias(c) for c in COUNTS))
        .orderBy(*by, "kind")
    )


def cross_county(facts: DataFrame) -> DataFrame:
    """Valid credit codes that organizations in more than one county carry (迁出/迁入, or the
    same organization registered twice): one row per county it is in, with all its counties."""
    place = F.concat_ws("", "city", "county")
    seen = (
        facts.filter(F.col("part") == CODE)
        .select("credit_code", "name", "city", "county")
        .withColumn("counties", F.collect_set(place).over(Window.partitionBy("credit_code")))
    )
    return (
        seen.filter(F.size("counties") > 1)
        .withColumn("counties", F.array_join(F.array_sort("counties"), "、"))
        .orderBy("credit_code", "city", "county", "name")
    )


def _arrow(frame: DataFrame) -> pl.DataFrame:
    return pl.from_arrow(frame.toArrow())
