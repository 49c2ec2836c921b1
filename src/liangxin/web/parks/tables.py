from liangxin.web.core.tables import Column, Table


class ParkTable(Table):
    default_sort = "name"
    columns = (
        Column("name", "名称", sort="name_sort", link="parks:detail", css="wrap"),
        Column("level", "级别", sort="level"),
        Column("park_kind", "类型", sort="park_kind"),
        Column("town", "镇街", sort="town"),
        Column("unit_total", "入驻单位", sort="unit_total", css="text-end"),
    )
