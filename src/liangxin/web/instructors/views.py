from liangxin.web.core.views import ObjectListView
from liangxin.web.instructors.filtersets import InstructorFilter
from liangxin.web.instructors.models import Instructor
from liangxin.web.instructors.tables import InstructorTable
from liangxin.web.orgs.entities import EntityDetailView


class InstructorListView(ObjectListView):
    model = Instructor
    table = InstructorTable
    filterset = InstructorFilter
    title = "党建工作指导员"


class InstructorDetailView(EntityDetailView):
    model = Instructor
    fields = (
        "name", "unit", "position", "full_time", "phone", "town", "orgs_guided",
        "orgs_with_party_org", "orgs_without_party_org", "source",
    )  # fmt: skip
    findings = {"over_capacity": "超出指导能力"}
    units = "instructors"
    units_title = "联系单位"
