"""The Chinese words for the engine's codes, declared once (docs/architecture.md §4).

Source kinds, organization kinds and social-organization types, party-organization types and
modes, the flags the screening sets on an organization and the findings on a party
organization, a task's status and the metrics' names. The workbooks, pages, filters, exports,
history and the API's description all take their words from here; where two of them used to
word one concept differently, the ledger workbook's word was kept.
"""

from __future__ import annotations

from liangxin.engine.schema import KIND_LABELS  # the source kinds, worded next to ``Kind``

__all__ = [
    "COUNT_LABELS",
    "FLAG_LABELS",
    "KIND_LABELS",
    "MODE_LABELS",
    "ORG_KIND_LABELS",
    "PARTY_FINDING_LABELS",
    "RATE_LABELS",
    "SUBTYPE_LABELS",
    "TASK_STATUS_LABELS",
    "TYPE_LABELS",
]

# The two kinds of organization the ledgers count (“两新组织”).
ORG_KIND_LABELS = {"enterprise": "非公企业", "social_org": "社会组织"}

# A social organization's type (docs/rules.md §R4.3).
SUBTYPE_LABELS = {
    "association": "社会团体",
    "service_org": "社会服务机构",
    "foundation": "基金会",
    "law_firm": "律师事务所",
    "accounting_firm": "会计师事务所",
    "tax_agency": "税务师事务所",
}

# A party organization's type and how it was formed (docs/rules.md §R5.4).
TYPE_LABELS = {
    "committee": "党委",
    "general_branch": "党总支",
    "branch": "党支部",
    "joint_branch": "联合党支部",
}
MODE_LABELS = {"single": "单独组建", "joint": "联合组建", "affiliated": "依托组建"}

# docs/rules.md §R5.2–§R5.3: derived facts and obligations, in the order of the screening's rules.
FLAG_LABELS = {
    "above_scale": "规上",
    "in_park": "园区单位",
    "single_established": "单独建立党组织",
    "org_covered": "党组织覆盖",
    "work_covered": "工作覆盖",
    "single_required": "应单独组建",
    "due_unestablished": "应建未建",
    "focus_50_no_member": "50人以上无党员企业",
    "focus_100_no_org": "100人以上未建党组织企业",
    "focus_social_15_no_member": "15人以上无党员社会组织",
    "park_uncovered": "园区内未覆盖单位",
    "instructor_required": "应选派指导员",
    "fallback": "兜底覆盖",
}

# docs/rules.md §R5.4: the structure findings on a party organization.
PARTY_FINDING_LABELS = {
    "oversize_branch": "超大支部",
    "undersize_single": "单独组建不足3名正式党员",
    "joint_too_wide": "联合支部单位过多",
    "shell": "空壳支部",
}

# docs/rules.md §R5.6: the engine lists open tasks only; closing them is the web's.
TASK_STATUS_LABELS = {"open": "未销号"}

# docs/rules.md §R6: the counts of metrics.json that the ledger's 汇总 and the API name.
COUNT_LABELS = {
    "total": "单位总数",
    "excluded": "不纳入统计",
    "single_established": FLAG_LABELS["single_established"],
    "org_covered": "党组织覆盖数",
    "work_covered": "工作覆盖数",
    "due": "应建数",
    "due_established": "应建已建",
    "due_unestablished": FLAG_LABELS["due_unestablished"],
    "above_scale": FLAG_LABELS["above_scale"],
    "park_total": FLAG_LABELS["in_park"],
    "park_org_covered": "园区单位党组织覆盖",
    "overdue_tasks": "逾期未销号",
}
RATE_LABELS = {
    "org_coverage_rate": "党组织覆盖率",
    "work_coverage_rate": "工作覆盖率",
    "formation_rate": "组建率",
}
