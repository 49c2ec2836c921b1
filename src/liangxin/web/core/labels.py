"""How a page reads a flag and names a field (the engine's codes are worded in engine/labels.py)."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from liangxin.engine.screen.rules import RULES

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


# Names logged that are no field of those models: an import batch's files, an API token's user,
# prefix and revocation.
OTHER_LABELS = {"files": "文件", "user": "用户", "prefix": "令牌开头", "revoked_at": "吊销时间"}


def field_label(name: str) -> str:
    """The Chinese label of an organization's (or party organization's…) field."""
    for label in ("orgs.Org", "partyorgs.PartyOrg", "instructors.Instructor", "parks.Park"):
        model = apps.get_model(label)
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            continue
    return OTHER_LABELS.get(name, name)
