from liangxin.engine.labels import PARTY_FINDING_LABELS
from liangxin.web.core.tables import Column, Table


def _findings(party_org) -> str:
    return "、".join(v for k, v in PARTY_FINDING_LABELS.items() if getattr(party_org, k)) or "—"


class PartyOrgTable(Table):
    default_sort = "name"
    columns = (
        Column("name", "党组织名称", sort="name_sort", link="partyorgs:detail", css="wrap"),
        Column("type", "类别", sort="type", value=lambda p: p.get_type_display()),
        Column("mode", "组建方式", sort="mode", value=lambda p: p.get_mode_display()),
        Column("town", "镇街", sort="town"),
        Column("secretary", "书记", masked=True),
        Column("formal_members", "正式党员", sort="formal_members", css="text-end"),
        Column("members_total", "党员总数", sort="members_total", css="text-end"),
        Column("unit_count", "单位数", sort="unit_count", css="text-end"),
        Column("active", "正常", sort="active"),
        Column("findings", "检查结果", value=_findings, css="wrap"),
    )
