from functools import partial

from liangxin.web.core.tables import Table, field_column
from liangxin.web.instructors.models import Instructor

_field = partial(field_column, Instructor)


class InstructorTable(Table):
    default_sort = "town"
    columns = (
        _field("name", sort="name_sort", link="instructors:detail"),
        _field("unit", css="wrap"),
        _field("position", sortable=False),
        _field("full_time"),
        _field("town"),
        _field("phone", sortable=False, masked=True),
        _field("orgs_guided", css="text-end"),
        _field("over_capacity"),
    )
