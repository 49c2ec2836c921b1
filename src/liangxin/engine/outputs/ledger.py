"""台账.xlsx: the two official ledgers (seed 000 附件1/附件2) and the working lists around them."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from liangxin.engine.labels import (
    COUNT_LABELS,
    FLAG_LABELS,
    MODE_LABELS,
    ORG_KIND_LABELS,
    RATE_LABELS,
    SUBTYPE_LABELS,
    TASK_STATUS_LABELS,
    TYPE_LABELS,
)
from liangxin.engine.outputs.masking import mask_person, mask_phone
from liangxin.engine.outputs.statistics import COUNTY_ROW
from liangxin.engine.outputs.workbook import Book, Column, Sheet
from liangxin.engine.reconcile import NOT_FOUND_REASON
from liangxin.engine.screen.metrics import UNKNOWN_TOWN

BASIC = "基本情况"
INVESTOR = "出资人"
PARTY = "党组织设置"
MEMBERS = "党员队伍"
INSTRUCTOR = "党建工作指导员"
COVERAGE = "覆盖情况"

_PARTY_AND_AFTER = [
    Column("党组织名称", "party_org_name", 28, PARTY),
    Column("党组织类别", "party_org_type_label", 10, PARTY),
    Column("组建方式", "mode_label", 10, PARTY),
    Column("成立时间", "party_founded_on", 12, PARTY),
    Column("书记", "secretary_masked", 8, PARTY),
    Column("正式党员", "formal_members", 8, MEMBERS),
    Column("预备党员", "probationary_members", 8, MEMBERS),
    Column("姓名", "instructor_names", 10, INSTRUCTOR),
    Column("联系电话", "instructor_phones", 14, INSTRUCTOR),
    *(
        Column(FLAG_LABELS[flag], flag, 8, COVERAGE)
        for flag in ("org_covered", "work_covered", "single_required", "due_unestablished")
    ),
    Column("未建党组织原因", "unbuilt_reason", 16, COVERAGE),
    Column("说明", "reasons", 60),
    Column("单位编号", "org_id", 20),
]

ENTERPRISE_COLUMNS = [
    Column("序号", "seq", 6),
    Column("镇街", "town", 10, BASIC),
    Column("企业名称", "name", 30, BASIC),
    Column("统一社会信用代码", "credit_code", 20, BASIC),
    Column("企业类型", "legal_form", 18, BASIC),
    Column("所属行业", "industry", 12, BASIC),
    Column("从业人员数", "employees", 10, BASIC),
    Column("营业收入（万元）", "revenue_wan", 12, BASIC),
    Column(f"是否{FLAG_LABELS['above_scale']}", "above_scale", 8, BASIC),
    Column("所在园区", "park_names", 16, BASIC),
    Column("法定代表人", "legal_rep_masked", 10, INVESTOR),
    Column("是否党员", "investor_is_member", 8, INVESTOR),
    *_PARTY_AND_AFTER,
]

SOCIAL_ORG_COLUMNS = [
    Column("序号", "seq", 6),
    Column("镇街", "town", 10, BASIC),
    Column("社会组织名称", "name", 30, BASIC),
    Column("统一社会信用代码", "credit_code", 20, BASIC),
    Column("类型", "subtype_label", 12, BASIC),
    Column("业务主管单位", "supervisor", 14, BASIC),
    Column("从业人员数", "employees", 10, BASIC),
    Column("所在园区", "park_names", 16, BASIC),
    Column("法定代表人", "legal_rep_masked", 10, INVESTOR),
    Column("是否党员", "investor_is_member", 8, INVESTOR),
    *_PARTY_AND_AFTER,
]

FOCUS_FLAGS = {
    flag: FLAG_LABELS[flag]
    for flag in (
        "focus_50_no_member",
        "focus_100_no_org",
        "focus_social_15_no_member",
        "park_uncovered",
    )
}


def ledger_rows(
    orgs: pl.DataFrame, party_orgs: pl.DataFrame, instructors: pl.DataFrame, parks: pl.DataFrame
) -> pl.DataFrame:
    """Screened orgs with the display columns of the ledgers (party org, instructor, masks).

    ``party_orgs``, ``instructors`` and ``parks`` are the reconciled entity tables.
    """
    party = party_orgs.select(
        single_party_org_id="entity_id",
        party_org_name="party_org_name",
        party_org_type_label=pl.col("type").replace_strict(TYPE_LABELS, default=None),
        mode_label=pl.col("mode_code").replace_strict(MODE_LABELS, default=None),
        party_founded_on="founded_on",
        secretary_masked=mask_person(pl.col("secretary")),
        probationary_members="probationary_members",
    )
    # An org without its own party org shows the (joint) party org that covers it.
    covering = (
        orgs.select("org_id", "party_org_ids")
        .explode("party_org_ids")
        .drop_nulls()
        .sort("org_id", "party_org_ids")
        .unique("org_id", keep="first")
        .rename({"party_org_ids": "shown_party_org_id"})
    )
    staff = (
        orgs.select("org_id", "instructor_ids")
        .explode("instructor_ids")
        .join(
            instructors.select(
                instructor_ids="entity_id",
                instructor_name=mask_person(pl.col("name")),
                instructor_phone=mask_phone(pl.col("phone")),
            ),
            on="instructor_ids",
        )
        .group_by("org_id")
        .agg(
            instructor_names=pl.col("instructor_name").sort().str.join("、"),
            instructor_phones=pl.col("instructor_phone").sort().str.join("、"),
        )
    )
    park_names = (
        orgs.select("org_id", "park_ids")
        .explode("park_ids")
        .join(parks.select(park_ids="entity_id", park_name="park_name"), on="park_ids")
        .group_by("org_id")
        .agg(park_names=pl.col("park_name").sort().str.join("、"))
    )
    return (
        orgs.join(covering, on="org_id", how="left")
        .with_columns(shown=pl.coalesce("single_party_org_id", "shown_party_org_id"))
        .join(party.rename({"single_party_org_id": "shown"}), on="shown", how="left")
        .join(staff, on="org_id", how="left")
        .join(park_names, on="org_id", how="left")
        .with_columns(
            legal_rep_masked=mask_person(pl.col("legal_rep")),
            subtype_label=pl.col("subtype").replace_strict(SUBTYPE_LABELS, default=None),
            probationary_members=pl.when(pl.col("single_party_org_id").is_not_null()).then(
                pl.col("probationary_members")
            ),
        )
        .sort("town", "name", "org_id", nulls_last=True)
    )


def _numbered(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(seq=pl.int_range(1, frame.height + 1))


def ledger_sheets(
    rows: pl.DataFrame,
    tasks: pl.DataFrame,
    summary: pl.DataFrame,
    problems: pl.DataFrame,
    review: pl.DataFrame,
    changes: pl.DataFrame | None,
    county_title: str,
    not_found: pl.DataFrame | None = None,
) -> list[Sheet]:
    """``not_found``: rows without a valid code found in no register (``Reconciled``); the
    summary counts them per 镇街."""
    in_scope = rows.filter(pl.col("in_scope"))
    enterprises = _numbered(in_scope.filter(pl.col("kind") == "enterprise"))
    social = _numbered(in_scope.filter(pl.col("kind") == "social_org"))
    focus = _numbered(
        in_scope.with_columns(
            focus=pl.concat_str(
                [pl.when(pl.col(f)).then(pl.lit(label)) for f, label in FOCUS_FLAGS.items()],
                separator="；",
                ignore_nulls=True,
            )
        ).filter(pl.col("focus") != "")
    )
    excluded = _numbered(rows.filter(~pl.col("in_scope")))
    tasks = tasks.with_columns(
        status_label=pl.col("status").replace_strict(TASK_STATUS_LABELS, default=pl.col("status"))
    )
    summary = _with_not_found(summary, not_found)
    sheets = [
        Sheet("汇总", SUMMARY_COLUMNS, summary, f"{county_title}两新组织“两个覆盖”情况汇总"),
        Sheet(
            f"{ORG_KIND_LABELS['enterprise']}台账",
            ENTERPRISE_COLUMNS,
            enterprises,
            f"{county_title}非公有制企业法人单位党建工作台账",
        ),
        Sheet(
            f"{ORG_KIND_LABELS['social_org']}台账",
            SOCIAL_ORG_COLUMNS,
            social,
            f"{county_title}社会组织法人单位党建工作台账",
        ),
        Sheet(
            "重点台账",
            [
                Column("序号", "seq", 6),
                Column("重点类别", "focus", 30),
                *ENTERPRISE_COLUMNS[1:4],
                Column("从业人员数", "employees", 10),
                Column("正式党员", "formal_members", 8),
                Column("说明", "reasons", 60),
            ],
            focus,
        ),
        Sheet("应建未建销号清单", TASK_COLUMNS, _numbered(tasks)),
        Sheet(
            "不纳入统计",
            [
                Column("序号", "seq", 6),
                Column("镇街", "town", 10),
                Column("单位名称", "name", 30),
                Column("统一社会信用代码", "credit_code", 20),
                Column("不纳入原因", "exclusion_reason", 16),
                Column("说明", "reasons", 60),
                Column("单位编号", "org_id", 20),
            ],
            excluded,
        ),
        Sheet("数据问题", PROBLEM_COLUMNS, _numbered(problems)),
        Sheet("待人工确认", REVIEW_COLUMNS, _numbered(review)),
    ]
    if not_found is not None:
        sheets.append(Sheet(NOT_FOUND_SHEET, NOT_FOUND_COLUMNS, _numbered(not_found)))
    if changes is not None:
        sheets.append(
            Sheet(
                "变更说明",
                CHANGE_SHEET_COLUMNS,
                _numbered(changes),
                f"{county_title}两新组织台账变更说明",
            )
        )
    return sheets


def _with_not_found(summary: pl.DataFrame, not_found: pl.DataFrame | None) -> pl.DataFrame:
    """The summary with the number of rows found in no register per 镇街 (and in all)."""
    if not_found is None:
        return summary
    per_town = not_found.group_by(town=pl.col("town").fill_null(UNKNOWN_TOWN)).agg(
        not_found=pl.len()
    )
    out = summary.join(per_town, on="town", how="left", maintain_order="left")
    return out.with_columns(
        not_found=pl.when(pl.col("town") == COUNTY_ROW)
        .then(pl.lit(not_found.height))
        .otherwise(pl.col("not_found").fill_null(0))
    )


def write_ledger(path: Path, sheets: list[Sheet], max_rows: int | None = None) -> None:
    with Book(path, **({"max_rows": max_rows} if max_rows else {})) as book:
        for sheet in sheets:
            book.add(sheet)


SUMMARY_COLUMNS = [
    Column("排名", "rank", 6),
    Column("镇街", "town", 12),
    Column(COUNT_LABELS["total"], "total", 10),
    Column(COUNT_LABELS["org_covered"], "org_covered", 12, "党的组织覆盖"),
    Column("覆盖率", "org_coverage_rate", 10, "党的组织覆盖"),
    Column(COUNT_LABELS["work_covered"], "work_covered", 12, "党的工作覆盖"),
    Column("覆盖率", "work_coverage_rate", 10, "党的工作覆盖"),
    Column(COUNT_LABELS["due"], "due", 8, "单独组建"),
    Column(COUNT_LABELS["due_established"], "due_established", 10, "单独组建"),
    Column(RATE_LABELS["formation_rate"], "formation_rate", 10, "单独组建"),
    Column(COUNT_LABELS["due_unestablished"], "due_unestablished", 10),
    Column(COUNT_LABELS["overdue_tasks"], "overdue_tasks", 10),
    Column(COUNT_LABELS["excluded"], "excluded", 10),
    Column(NOT_FOUND_REASON, "not_found", 12),
]

TASK_COLUMNS = [
    Column("序号", "seq", 6),
    Column("镇街", "town", 10),
    Column("单位（园区）名称", "name", 30),
    Column("任务", "task", 28),
    Column("完成时限", "deadline", 12),
    Column("状态", "status_label", 10),
    Column("是否逾期", "overdue", 8),
    Column("说明", "reason", 60),
    Column("对象编号", "subject_id", 20),
]

PROBLEM_COLUMNS = [
    Column("序号", "seq", 6),
    Column("文件", "source_file", 28),
    Column("工作表", "source_sheet", 12),
    Column("行号", "source_row", 8),
    Column("列", "column", 16),
    Column("内容", "value", 24),
    Column("问题", "problem", 40),
]

NOT_FOUND_SHEET = NOT_FOUND_REASON
NOT_FOUND_COLUMNS = [
    Column("序号", "seq", 6),
    Column("文件", "source_file", 24),
    Column("工作表", "source_sheet", 10),
    Column("行号", "source_row", 8),
    Column("名称", "name", 28),
    Column("镇街", "town", 10),
    Column("最接近的登记单位", "closest", 60),
    Column("单位编号", "org_id", 20),
]

REVIEW_COLUMNS = [
    Column("序号", "seq", 6),
    Column("文件", "source_file", 24, "部门数据中的这一行"),
    Column("工作表", "source_sheet", 10, "部门数据中的这一行"),
    Column("行号", "source_row", 8, "部门数据中的这一行"),
    Column("名称", "name", 28, "部门数据中的这一行"),
    Column("统一社会信用代码", "credit_code", 20, "部门数据中的这一行"),
    Column("镇街", "town", 10, "部门数据中的这一行"),
    Column("名称", "candidate_name", 28, "疑似同一单位"),
    Column("统一社会信用代码", "candidate_credit_code", 20, "疑似同一单位"),
    Column("镇街", "candidate_town", 10, "疑似同一单位"),
    Column("相似度（%）", "similarity", 10),
    Column("原因", "reason", 36),
]

CHANGE_SHEET_COLUMNS = [
    Column("序号", "seq", 6),
    Column("变更类型", "change", 10),
    Column("镇街", "town", 10),
    Column("单位名称", "name", 30),
    Column("变更说明", "explanation", 60),
    Column("单位编号", "org_id", 20),
]
