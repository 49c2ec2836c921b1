"""Which organizations are in scope (纳入统计范围), docs/rules.md §R5.1.

Each exclusion is one function returning the condition and its explanation; the first that
applies, in the order of ``EXCLUSIONS``, is the organization's ``exclusion_reason``. Text
values are matched by the words officials use, so “吊销，未注销” and “存续（在营、开业、在册）”
are read as they are meant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import polars as pl

from liangxin.engine.normalize.text import squeeze_text
from liangxin.engine.screen.wording import amount, cite, join_parts, quoted

# Registry / social-org statuses that mean the organization no longer operates as registered.
INACTIVE_STATUS = r"注销|吊销|迁出|撤销|停业"
PUBLIC_OWNERSHIP = r"国有|全民所有制|集体"
BRANCH_FORM = r"分公司|分支机构|非法人|营业单位|个体"
BRANCH_NAME = r"分公司(\(.*\))?$"
INDIVIDUAL_BUSINESS_PREFIX = "92"
OPERATING_STOPPED = r"停产|歇业|破产"
TAX_STOPPED = r"停业|注销"
NOT_FOUND = r"搬离|查无"
TAX_NORMAL = "正常"


class Exclusion(NamedTuple):
    applies: pl.Expr
    why: pl.Expr  # Chinese explanation with the source rows


def _text(column: str) -> pl.Expr:
    return squeeze_text(pl.col(column))


def _matches(column: str, pattern: str) -> pl.Expr:
    return _text(column).str.contains(pattern).fill_null(False)


def deregistered() -> Exclusion:
    return Exclusion(
        _matches("reg_status", INACTIVE_STATUS),
        pl.format("登记状态为{}", quoted("reg_status")),
    )


def public_ownership() -> Exclusion:
    return Exclusion(
        (pl.col("kind") == "enterprise") & _matches("legal_form", PUBLIC_OWNERSHIP),
        pl.format("企业类型为{}", quoted("legal_form")),
    )


def branch() -> Exclusion:
    by_form = _matches("legal_form", BRANCH_FORM)
    by_name = _matches("name", BRANCH_NAME)
    by_code = pl.col("credit_code").str.starts_with(INDIVIDUAL_BUSINESS_PREFIX).fill_null(False)
    return Exclusion(
        by_form | by_name | by_code,
        join_parts(
            [
                pl.when(by_form).then(pl.format("企业类型为{}", quoted("legal_form"))),
                pl.when(by_name).then(pl.format("名称{}为分公司", quoted("name"))),
                pl.when(by_code).then(
                    pl.format("统一社会信用代码{}以92开头（个体工商户）", pl.col("credit_code"))
                ),
            ]
        ),
    )


def stopped() -> Exclusion:
    by_survey = _matches("operating", OPERATING_STOPPED)
    by_tax = _matches("tax_status", TAX_STOPPED)
    return Exclusion(
        by_survey | by_tax,
        join_parts(
            [
                pl.when(by_survey).then(pl.format("摸排经营状况为{}", quoted("operating"))),
                pl.when(by_tax).then(pl.format("纳税人状态为{}", quoted("tax_status"))),
            ]
        ),
    )


def not_verified() -> Exclusion:
    gone = _matches("operating", NOT_FOUND)
    no_premises = (~pl.col("has_premises")).fill_null(False)
    return Exclusion(
        gone | no_premises,
        join_parts(
            [
                pl.when(gone).then(pl.format("摸排经营状况为{}", quoted("operating"))),
                pl.when(no_premises).then(pl.format("摸排无固定场所{}", cite("has_premises"))),
            ]
        ),
    )


def no_staff() -> Exclusion:
    return Exclusion(
        (pl.col("employees") == 0).fill_null(False),
        pl.format("从业人员{}", amount("employees", "人")),
    )


def no_business() -> Exclusion:
    no_revenue = pl.col("revenue_wan").fill_null(0) == 0
    not_normal = _text("tax_status").fill_null("") != TAX_NORMAL
    revenue = (
        pl.when(pl.col("revenue_wan").is_null())
        .then(pl.lit("无营业收入数据"))
        .otherwise(pl.format("营业收入{}", amount("revenue_wan", "万元")))
    )
    tax = (
        pl.when(pl.col("tax_status").is_null())
        .then(pl.lit("不在税务名录中"))
        .otherwise(pl.format("纳税人状态为{}", quoted("tax_status")))
    )
    return Exclusion(
        (pl.col("kind") == "enterprise") & no_revenue & not_normal,
        pl.format("{}，且{}", revenue, tax),
    )


# (exclusion_reason exactly as docs/rules.md §R5.1, rule), in the order they are tried.
EXCLUSIONS: list[tuple[str, Callable[[], Exclusion]]] = [
    ("已注销/吊销/迁出", deregistered),
    ("公有制企业", public_ownership),
    ("非法人分支机构", branch),
    ("停产/歇业/破产", stopped),
    ("核实不符合条件", not_verified),
    ("无从业人员", no_staff),
    ("无经营纳税", no_business),
]


def apply_scope(orgs: pl.DataFrame) -> pl.DataFrame:
    """Adds ``in_scope``, ``exclusion_reason`` and ``_why_excluded`` (the explanation)."""
    reason = pl.lit(None, dtype=pl.String)
    why = pl.lit(None, dtype=pl.String)
    for label, rule in reversed(EXCLUSIONS):
        exclusion = rule()
        reason = pl.when(exclusion.applies).then(pl.lit(label)).otherwise(reason)
        why = (
            pl.when(exclusion.applies)
            .then(pl.format("不纳入统计（{}）：{}", pl.lit(label), exclusion.why))
            .otherwise(why)
        )
    return orgs.with_columns(exclusion_reason=reason, _why_excluded=why).with_columns(
        in_scope=pl.col("exclusion_reason").is_null()
    )
