from functools import partial

from liangxin.engine.labels import FLAG_LABELS
from liangxin.web.core.labels import MET_BY, OBLIGATIONS, flag_state
from liangxin.web.core.tables import Column, Table, field_column
from liangxin.web.orgs.models import Org


def _flags(org) -> str:
    """The obligations still to be met (a met one, e.g. an assigned instructor, is no to-do)."""
    return "、".join(FLAG_LABELS[f] for f in OBLIGATIONS if flag_state(org, f)[1]) or "—"


_field = partial(field_column, Org)


class OrgTable(Table):
    default_sort = "name"
    columns = (
        _field("name", sort="name_sort", link="orgs:detail", css="wrap"),
        _field("credit_code"),
        _field("kind", value=lambda o: o.get_kind_display()),
        _field("town"),
        _field("employees", css="text-end"),
        _field("formal_members", css="text-end"),
        _field("revenue_wan", css="text-end"),
        _field("in_scope"),
        _field("org_covered"),
        _field("work_covered"),
        Column("flags", "待办标志", value=_flags, css="wrap"),
    )


# The columns a list page reads (the wide ones — 说明, 取值来源 — are left in the database).
LIST_FIELDS = (
    *(c.key for c in OrgTable.columns if c.key != "flags"),
    *OBLIGATIONS,
    *(fact for fact, _ in MET_BY.values()),
)
