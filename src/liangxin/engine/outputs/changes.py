"""变更说明: what changed since the previous build, one explained line per organization.

The county must explain every organization added to or removed from the ledger
(“对新增和撤销的两新组织逐一说明情况”, seed 000). This compares two builds' ``orgs.csv`` and
drafts that explanation: added (newly registered, newly found, newly in scope), removed (with
the exclusion reason) and changed status (newly covered, newly 应建未建 …).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from liangxin.engine.dates import date_text_expr

# flag → (label when it became true, label when it became false)
STATUS_FLAGS: dict[str, tuple[str, str]] = {
    "single_established": ("新单独建立党组织", "不再单独建立党组织（党组织撤销或调整）"),
    "org_covered": ("新实现党的组织覆盖", "失去党的组织覆盖"),
    "work_covered": ("新实现党的工作覆盖", "失去党的工作覆盖"),
    "due_unestablished": ("新增应建未建", "应建未建已消除"),
    "above_scale": ("新进入规上企业", "不再是规上企业"),
    "instructor_required": ("新需选派党建工作指导员", "不再需选派党建工作指导员"),
}
CHANGE_COLUMNS = ("change", "org_id", "name", "town", "kind", "explanation")
KEY_COLUMNS = (
    "org_id",
    "name",
    "town",
    "kind",
    "in_scope",
    "exclusion_reason",
    "founded_on",
    *STATUS_FLAGS,
)


class PreviousError(ValueError):
    """The previous period's output folder cannot be compared with; worded for the official."""


def read_previous(previous_dir: Path) -> pl.DataFrame:
    path = previous_dir / "orgs.csv"
    if not path.is_file():
        raise PreviousError(f"上期结果中没有 orgs.csv：{previous_dir}")
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except pl.exceptions.PolarsError:
        raise PreviousError(f"上期结果 {path} 无法读取（不是本系统写出的 CSV 文件）") from None
    missing = [c for c in KEY_COLUMNS if c not in frame.columns]
    if missing:
        raise PreviousError(f"上期结果 {path} 缺少列：{'、'.join(missing)}")
    booleans = ("in_scope", *STATUS_FLAGS)
    return frame.select(KEY_COLUMNS).with_columns(pl.col(c) == "true" for c in booleans)


def explain_changes(
    current: pl.DataFrame, previous: pl.DataFrame, previous_as_of: str | None
) -> pl.DataFrame:
    current = current.select(KEY_COLUMNS).with_columns(pl.col("founded_on").cast(pl.String))
    both = current.join(previous, on="org_id", how="full", suffix="_prev", coalesce=True)
    now_in = pl.col("in_scope").fill_null(False)
    was_in = pl.col("in_scope_prev").fill_null(False)
    seen_before = pl.col("name_prev").is_not_null()
    newly_registered = pl.col("founded_on").is_not_null() & (
        pl.col("founded_on") > pl.lit(previous_as_of or "")
    )
    added = both.filter(now_in & ~was_in).with_columns(
        change=pl.lit("新增"),
        explanation=pl.when(seen_before)
        .then(
            pl.format(
                "新纳入统计范围（上期不纳入原因：{}）",
                pl.col("exclusion_reason_prev").fill_null("未记录"),
            )
        )
        .when(newly_registered)
        .then(
            pl.format(
                "新登记成立（成立日期{}）",
                date_text_expr(pl.col("founded_on").str.to_date(strict=False)),
            )
        )
        .otherwise(pl.lit("新发现：本期部门数据中新出现的单位")),
    )
    removed = both.filter(~now_in & was_in).with_columns(
        change=pl.lit("减少"),
        name=pl.coalesce("name", "name_prev"),
        town=pl.coalesce("town", "town_prev"),
        kind=pl.coalesce("kind", "kind_prev"),
        explanation=pl.when(pl.col("name").is_null())
        .then(pl.lit("本期部门数据中已无此单位"))
        .otherwise(pl.format("不再纳入统计：{}", pl.col("exclusion_reason").fill_null("未记录"))),
    )
    stayed = both.filter(now_in & was_in)
    phrases = [
        pl.when(pl.col(f) & ~pl.col(f"{f}_prev"))
        .then(pl.lit(gained))
        .when(~pl.col(f) & pl.col(f"{f}_prev"))
        .then(pl.lit(lost))
        for f, (gained, lost) in STATUS_FLAGS.items()
    ]
    changed = (
        stayed.with_columns(explanation=pl.concat_str(phrases, separator="；", ignore_nulls=True))
        .filter(pl.col("explanation") != "")
        .with_columns(change=pl.lit("状态变化"))
    )
    order = pl.col("change").replace_strict(
        {"新增": 0, "减少": 1, "状态变化": 2}, return_dtype=pl.Int8
    )
    return pl.concat([f.select(CHANGE_COLUMNS) for f in (added, removed, changed)]).sort(
        order, "town", "org_id", nulls_last=True
    )
