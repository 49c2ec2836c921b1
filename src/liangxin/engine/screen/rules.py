"""Derived facts and obligations, one function per flag (docs/rules.md §R5.2, §R5.3).

Each rule returns the flag and its Chinese explanation as polars expressions over the whole
organization table; ``RULES`` runs them in order, so a rule may read the flags of the rules
before it. Comparisons with an unknown number are null and a null flag is false: an unknown
number satisfies no threshold (it is never 0 and never ≥ 3). Obligations are false out of scope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import polars as pl

from liangxin.engine.normalize.text import squeeze_text
from liangxin.engine.policies import Policy
from liangxin.engine.screen.wording import amount, cite, join_parts, threshold

# A survey's 所在园区 cell that names no park.
NO_PARK = r"^(无|否|没有|暂无|空|不在园区|非园区|/|-|—|——)$"

ENTERPRISE = pl.col("kind") == "enterprise"
SOCIAL_ORG = pl.col("kind") == "social_org"
NOT_COVERED = ~pl.col("org_covered")


class RuleResult(NamedTuple):
    flag: pl.Expr
    reason: pl.Expr  # the explanation, read where the flag is true


class Rule(NamedTuple):
    name: str
    compute: Callable[[Policy], RuleResult]
    obligation: bool  # obligations are false for organizations out of scope


Cause = tuple[pl.Expr, pl.Expr]  # (condition, what it says when it holds)


def _because(causes: list[Cause]) -> RuleResult:
    """True when any cause holds; the explanation names every cause that holds."""
    flag = pl.lit(False)
    for condition, _ in causes:
        flag = flag | condition
    return RuleResult(flag, join_parts([pl.when(c).then(text) for c, text in causes], "、"))


def _sentence(label: str, *parts: pl.Expr | str) -> pl.Expr:
    """“label：part，part”."""
    exprs = [pl.lit(p) if isinstance(p, str) else p for p in parts]
    return pl.format(label + "：" + "，".join("{}" for _ in exprs), *exprs)


def _employees_at_least(limit: int) -> Cause:
    return (
        pl.col("employees") >= limit,
        pl.format("从业人员{}≥{}人", amount("employees", "人"), pl.lit(limit)),
    )


def _formal_members_none() -> Cause:
    return pl.col("formal_members") == 0, pl.format("正式党员{}", amount("formal_members", "名"))


# --- derived facts ---------------------------------------------------------------------------


def _above_scale_causes(policy: Policy) -> RuleResult:
    t = policy.thresholds
    revenue = (
        pl.col("revenue_wan") >= t.above_scale_revenue_wan,
        pl.format(
            "营业收入{}≥{}万元",
            amount("revenue_wan", "万元"),
            pl.lit(threshold(t.above_scale_revenue_wan)),
        ),
    )
    return _because([revenue, _employees_at_least(t.above_scale_employees)])


def rule_above_scale(policy: Policy) -> RuleResult:
    causes = _above_scale_causes(policy)
    return RuleResult(ENTERPRISE & causes.flag, _sentence("规上企业", causes.reason))


def _park_causes() -> RuleResult:
    park = squeeze_text(pl.col("park"))
    return _because(
        [
            (pl.col("park_ids").list.len() > 0, pl.format("列入园区名录{}", pl.col("_parks"))),
            (
                park.is_not_null() & ~park.str.contains(NO_PARK),
                pl.format("摸排所在园区为“{}”{}", pl.col("park"), cite("park")),
            ),
        ]
    )


def rule_in_park(policy: Policy) -> RuleResult:
    causes = _park_causes()
    return RuleResult(causes.flag, _sentence("在园区", causes.reason))


def rule_single_established(policy: Policy) -> RuleResult:
    return RuleResult(
        pl.col("single_party_org_id").is_not_null(),
        _sentence("已单独建立党组织", pl.col("_single_label")),
    )


def rule_org_covered(policy: Policy) -> RuleResult:
    return RuleResult(
        pl.col("party_org_ids").list.len() > 0, _sentence("党组织覆盖", pl.col("_covering"))
    )


def rule_work_covered(policy: Policy) -> RuleResult:
    causes = _because(
        [
            (pl.col("org_covered"), pl.lit("已建立党组织")),
            (
                pl.col("instructor_ids").list.len() > 0,
                pl.format("已选派党建工作指导员（{}）", pl.col("_instructor_sources")),
            ),
        ]
    )
    return RuleResult(causes.flag, _sentence("工作覆盖", causes.reason))


# --- obligations -----------------------------------------------------------------------------


def _single_required_causes(policy: Policy) -> RuleResult:
    t = policy.thresholds
    causes = [
        (
            pl.col("formal_members") >= t.single_required_formal_members,
            pl.format(
                "正式党员{}≥{}",
                amount("formal_members", "名"),
                pl.lit(t.single_required_formal_members),
            ),
        ),
        (
            pl.col("above_scale"),
            pl.format("规上企业（{}）", _above_scale_causes(policy).reason),
        ),
    ]
    extra = policy.single_required_extra
    for category in extra.categories if extra else ():
        is_category = SOCIAL_ORG & (pl.col("subtype") == category.subtype)
        if category.name_pattern:
            is_category = is_category & squeeze_text(pl.col("name")).str.contains(
                category.name_pattern
            )
        staff, staff_text = _employees_at_least(extra.min_employees)
        causes.append(
            (is_category & staff, pl.format("{}，{}", pl.lit(category.label), staff_text))
        )
    return _because(causes)


def rule_single_required(policy: Policy) -> RuleResult:
    causes = _single_required_causes(policy)
    return RuleResult(causes.flag, _sentence("应单独组建", causes.reason))


def rule_due_unestablished(policy: Policy) -> RuleResult:
    return RuleResult(
        pl.col("single_required") & ~pl.col("single_established"),
        _sentence("应建未建", _single_required_causes(policy).reason, "未单独建立党组织"),
    )


def rule_focus_50_no_member(policy: Policy) -> RuleResult:
    limit = policy.thresholds.focus_enterprise_no_member_employees
    staff, staff_text = _employees_at_least(limit)
    none, none_text = _formal_members_none()
    return RuleResult(
        ENTERPRISE & staff & none,
        _sentence(f"重点台账（职工{limit}人以上没有党员的非公企业）", staff_text, none_text),
    )


def rule_focus_100_no_org(policy: Policy) -> RuleResult:
    limit = policy.thresholds.focus_enterprise_no_org_employees
    staff, staff_text = _employees_at_least(limit)
    return RuleResult(
        ENTERPRISE & staff & NOT_COVERED,
        _sentence(
            f"重点台账（职工{limit}人以上未建立党组织的非公企业）", staff_text, "未建立党组织"
        ),
    )


def rule_focus_social_15_no_member(policy: Policy) -> RuleResult:
    limit = policy.thresholds.focus_social_no_member_employees
    staff, staff_text = _employees_at_least(limit)
    none, none_text = _formal_members_none()
    return RuleResult(
        SOCIAL_ORG & staff & none,
        _sentence(f"重点台账（从业人员{limit}人以上没有党员的社会组织）", staff_text, none_text),
    )


def rule_park_uncovered(policy: Policy) -> RuleResult:
    return RuleResult(
        pl.col("in_park") & NOT_COVERED,
        _sentence("园区单位未建立党组织", _park_causes().reason),
    )


def rule_instructor_required(policy: Policy) -> RuleResult:
    causes = _because(
        [
            _employees_at_least(policy.thresholds.instructor_required_employees),
            (pl.col("in_park"), pl.lit("在园区")),
        ]
    )
    return RuleResult(
        NOT_COVERED & causes.flag,
        _sentence("需选派党建工作指导员", "未建立党组织", causes.reason),
    )


def rule_fallback(policy: Policy) -> RuleResult:
    limit = policy.thresholds.fallback_employees_below
    return RuleResult(
        ENTERPRISE & (pl.col("employees") < limit) & NOT_COVERED,
        _sentence(
            f"兜底管理（职工不足{limit}人的小微企业）",
            pl.format("从业人员{}", amount("employees", "人")),
            "未建立党组织，由镇街和村（社区）兜底管理",
        ),
    )


RULES: list[Rule] = [
    Rule("above_scale", rule_above_scale, obligation=False),
    Rule("in_park", rule_in_park, obligation=False),
    Rule("single_established", rule_single_established, obligation=False),
    Rule("org_covered", rule_org_covered, obligation=False),
    Rule("work_covered", rule_work_covered, obligation=False),
    Rule("single_required", rule_single_required, obligation=True),
    Rule("due_unestablished", rule_due_unestablished, obligation=True),
    Rule("focus_50_no_member", rule_focus_50_no_member, obligation=True),
    Rule("focus_100_no_org", rule_focus_100_no_org, obligation=True),
    Rule("focus_social_15_no_member", rule_focus_social_15_no_member, obligation=True),
    Rule("park_uncovered", rule_park_uncovered, obligation=True),
    Rule("instructor_required", rule_instructor_required, obligation=True),
    Rule("fallback", rule_fallback, obligation=True),
]


def why_column(rule_name: str) -> str:
    """The column holding a rule's explanation (null where its flag is false)."""
    return f"_why_{rule_name}"


def apply_rules(orgs: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """Every flag of ``RULES`` and its explanation column, in order."""
    frame = orgs.lazy()
    for rule in RULES:
        result = rule.compute(policy)
        flag = result.flag.fill_null(False)
        if rule.obligation:
            flag = flag & pl.col("in_scope")
        frame = frame.with_columns(flag.alias(rule.name)).with_columns(
            pl.when(pl.col(rule.name)).then(result.reason).alias(why_column(rule.name))
        )
    return frame.collect()
