from liangxin.engine.labels import FLAG_LABELS
from liangxin.web.core.labels import MET_BY, OBLIGATIONS, flag_state
from liangxin.web.core.tables import Column, Table


def _flags(org) -> str:
    """The obligations still to be met (a met one, e.g. an assigned instructor, is no to-do)."""
    return "、".join(FLAG_LABELS[f] for f in OBLIGATIONS if flag_state(org, f)[1]) or "—"


class OrgTable(Table):
    default_sort = "name"
    columns = (
        Column("name", "名称", sort="name_sort", link="orgs:detail", css="wrap"),
        Column("credit_code", "统一社会信用代码", sort="credit_code"),
        Column("kind", "类别", sort="kind", value=lambda o: o.get_kind_display()),
        Column("town", "镇街", sort="town"),
        Column("employees", "从业人员", sort="employees", css="text-end"),
        Column("formal_members", "正式党员", sort="formal_members", css="text-end"),
        Column("revenue_wan", "营业收入（万元）", sort="revenue_wan", css="text-end"),
        Column("in_scope", "纳入统计", sort="in_scope"),
        Column("org_covered", "组织覆盖", sort="org_covered"),
        Column("work_covered", "工作覆盖", sort="work_covered"),
        Column("flags", "待办标志", value=_flags, css="wrap"),
    )


# The columns a list page reads (the wide ones — 说明, 取值来源 — are left in the database).
LIST_FIELDS = (
    *(c.key for c in OrgTable.columns if c.key != "flags"),
    *OBLIGATIONS,
    *(fact for fact, _ in MET_BY.values()),
)
