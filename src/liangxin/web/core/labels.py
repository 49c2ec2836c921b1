"""Chinese labels shown for the engine's codes."""

from liangxin.engine.outputs.ledger import MODE_LABELS, SUBTYPE_LABELS, TYPE_LABELS
from liangxin.engine.schema import KIND_LABELS
from liangxin.engine.screen.rules import RULES

ORG_KIND_LABELS = {"enterprise": "非公企业", "social_org": "社会组织"}

# SPEC §5.2–5.3: derived facts and obligations, in the engine's order.
FLAG_LABELS = {
    "above_scale": "规上",
    "in_park": "园区单位",
    "single_established": "单独建立党组织",
    "org_covered": "党的组织覆盖",
    "work_covered": "党的工作覆盖",
    "single_required": "应单独组建",
    "due_unestablished": "应建未建",
    "focus_50_no_member": "50人以上无党员",
    "focus_100_no_org": "100人以上未建党组织",
    "focus_social_15_no_member": "社会组织15人以上无党员",
    "park_uncovered": "园区单位未覆盖",
    "instructor_required": "应选派指导员",
    "fallback": "兜底覆盖",
}
OBLIGATIONS = tuple(rule.name for rule in RULES if rule.obligation)
PARTY_FINDING_LABELS = {
    "oversize_branch": "超大支部",
    "undersize_single": "单独组建不足3名正式党员",
    "joint_too_wide": "联合支部单位过多",
    "shell": "空壳支部",
}

__all__ = [
    "FLAG_LABELS",
    "KIND_LABELS",
    "MODE_LABELS",
    "OBLIGATIONS",
    "ORG_KIND_LABELS",
    "PARTY_FINDING_LABELS",
    "SUBTYPE_LABELS",
    "TYPE_LABELS",
]
