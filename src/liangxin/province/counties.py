"""A province folder's counties, and one county built by the engine as the province sees it.

A province folder holds county folders (``INPUT/县区/``) or city folders of county folders
(``INPUT/市/县区/``): a first-level folder with files of its own is a county, one without is a
city. A county is built by ``engine.build.build`` exactly as ``liangxin build`` builds it, into
``OUT/<the county's folder path>/``; what the province needs back are its ``FACTS`` rows:
the counts behind both rates per kind, the valid credit codes with their names, the files the
intake could not read, or the county's error when it could not be built at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from liangxin.engine.build import build
from liangxin.engine.normalize.codes import code_is_valid
from liangxin.engine.policies import Policy
from liangxin.engine.screen.metrics import ALL, KINDS

# the counts behind the rates the province ranks on (docs/rules.md §R6)
COUNTS = ("total", "org_covered", "work_covered")
# what one county gives back, one row per fact; ``part`` says which
FACTS = {
    "county": pl.String,
    "city": pl.String,
    "part": pl.String,  # METRICS, CODE, FILE_ERROR or FAILED
    "kind": pl.String,
    **dict.fromkeys(COUNTS, pl.Int64),
    "credit_code": pl.String,
    "name": pl.String,
    "file": pl.String,
    "error": pl.String,
}
METRICS, CODE, FILE_ERROR, FAILED = "metrics", "code", "file_error", "failed"


@dataclass(frozen=True)
class County:
    name: str
    city: str  # "" when the province folder has no city level
    folder: Path  # relative to the province folder; the county's output folder is the same


def find_counties(province: Path) -> list[County]:
    if not province.is_dir():
        raise NotADirectoryError(f"输入文件夹不存在：{province}")
    counties = []
    for first in _folders(province):
        if _has_files(first):
            counties.append(County(first.name, "", Path(first.name)))
        else:
            counties += [
                County(second.name, first.name, Path(first.name, second.name))
                for second in _folders(first)
            ]
    return counties


def _folders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _has_files(folder: Path) -> bool:
    return any(p.is_file() and not p.name.startswith((".", "~$")) for p in folder.iterdir())


def build_county(
    county: County, province: Path, out: Path, policy: Policy, as_of: date
) -> pl.DataFrame:
    """Build one county into ``out / county.folder``; its ``FACTS``. Any failure is the
    county's own: it is returned as a FAILED row with its reason, never raised."""
    who = {"county": county.name, "city": county.city}
    try:
        result = build(province / county.folder, out / county.folder, policy, as_of)
    except Exception as exc:  # one county's failure must not stop the province
        return _facts([{**who, "part": FAILED, "error": _reason(exc)}])
    counts = [
        {
            **who,
            "part": METRICS,
            "kind": kind,
            **{c: result.metrics["total"][kind][c] for c in COUNTS},
        }
        for kind in (ALL, *KINDS)
    ]
    files = [
        {**who, "part": FILE_ERROR, "file": r.file, "error": r.error}
        for r in result.intake.files
        if r.error
    ]
    unwritten = [
        {**who, "part": FILE_ERROR, "file": name, "error": "未能写入"} for name in result.unwritten
    ]
    codes = (
        result.screened.orgs.filter(code_is_valid(pl.col("credit_code")))
        .select("credit_code", "name")
        .with_columns(**{k: pl.lit(v) for k, v in who.items()}, part=pl.lit(CODE))
    )
    return (
        pl.concat([_facts(counts + files + unwritten), codes], how="diagonal_relaxed")
        .select(list(FACTS))
        .cast(FACTS)
    )


def _facts(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=FACTS)


def _reason(exc: Exception) -> str:
    """The error as the county's officials should read it: the engine's own errors are
    Chinese sentences already; anything else is named as a program error."""
    if isinstance(exc, ValueError) and str(exc):
        return str(exc)
    if isinstance(exc, OSError):
        return f"无法读写文件“{exc.filename or ''}”（系统错误 {exc.errno}）"
    return f"程序错误（{type(exc).__name__}：{exc}）"
