"""Chinese labels shown for the engine's codes."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from liangxin.engine.outputs.ledger import MODE_LABELS, SUBTYPE_LABELS, TYPE_LABELS
from liangxin.engine.schema import KIND_LABELS
from liangxin.engine.screen.rules import RULES

ORG_KIND_LABELS = {"enterprise": "非公企业", "social_org": "社会组织"}

# docs/rules.md §R5.2–§R5.3: derived facts and obligations, in the engine's order.
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
# Obligations another fact fulfils, and the words for a met one (docs/console.md): shown as met,
# not as a to-do. 应选派指导员 holds only without a party organization, so work coverage then
# means an instructor has been assigned.
MET_BY = {
    "single_required": ("single_established", "已单独组建"),
    "instructor_required": ("work_covered", "已选派"),
}


def flag_state(org, name: str) -> tuple[str, bool]:
    """What a flag reads on a page, and whether it still asks for work: “是”, “否”, “已选派”."""
    on = bool(getattr(org, name))
    if on and name in MET_BY and getattr(org, MET_BY[name][0]):
        return MET_BY[name][1], False
    return ("是" if on else "否"), on


PARTY_FINDING_LABELS = {
    "oversize_branch": "超大支部",
    "undersize_single": "单独组建不足3名正式党员",
    "joint_too_wide": "联合支部单位过多",
    "shell": "空壳支部",
}

__all__ = [
    "FLAG_LABELS",
    "MET_BY",
    "KIND_LABELS",
    "MODE_LABELS",
    "OBLIGATIONS",
    "ORG_KIND_LABELS",
    "PARTY_FINDING_LABELS",
    "SUBTYPE_LABELS",
    "TYPE_LABELS",
]


def field_label(name: str) -> str:
    """The Chinese label of an organization's (or party organization's…) field."""
    for label in ("orgs.Org", "partyorgs.PartyOrg", "instructors.Instructor", "parks.Park"):
        model = apps.get_model(label)
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            continue
    return {"sources": "取值来源", "units": "所在单位", "status": "状态", "files": "文件"}.get(
        name, name
    )
