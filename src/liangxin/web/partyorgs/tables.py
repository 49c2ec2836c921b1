from functools import partial

from liangxin.engine.labels import PARTY_FINDING_LABELS
from liangxin.web.core.tables import Column, Table, field_column
from liangxin.web.partyorgs.models import PartyOrg

_field = partial(field_column, PartyOrg)


def _findings(party_org) -> str:
    return "、".join(v for k, v in PARTY_FINDING_LABELS.items() if getattr(party_org, k)) or "—"


class PartyOrgTable(Table):
    default_sort = "name"
    columns = (
        _field("name", sort="name_sort", link="partyorgs:detail", css="wrap"),
        _field("type", value=lambda p: p.get_type_display()),
        _field("mode", value=lambda p: p.get_mode_display()),
        _field("town"),
        _field("secretary", sortable=False, masked=True),
        _field("formal_members", css="text-end"),
        _field("members_total", css="text-end"),
        _field("unit_count", css="text-end"),
        _field("active"),
        Column("findings", "检查结果", value=_findings, css="wrap"),
    )
