from liangxin.web.core.tables import Column, Table


class InstructorTable(Table):
    default_sort = "town"
    columns = (
        Column("name", "姓名", sort="name_sort", link="instructors:detail"),
        Column("unit", "工作单位", sort="unit", css="wrap"),
        Column("position", "职务"),
        Column("full_time", "专职/兼职", sort="full_time"),
        Column("town", "负责镇街", sort="town"),
        Column("phone", "联系电话", masked=True),
        Column("orgs_guided", "联系单位数", sort="orgs_guided", css="text-end"),
        Column("over_capacity", "超出指导能力", sort="over_capacity"),
    )
