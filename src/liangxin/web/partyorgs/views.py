from liangxin.web.core.labels import PARTY_FINDING_LABELS
from liangxin.web.core.views import EntityDetailView, ObjectListView
from liangxin.web.partyorgs.filtersets import PartyOrgFilter
from liangxin.web.partyorgs.models import PartyOrg
from liangxin.web.partyorgs.tables import PartyOrgTable


class PartyOrgListView(ObjectListView):
    model = PartyOrg
    table = PartyOrgTable
    filterset = PartyOrgFilter
    title = "党组织"


class PartyOrgDetailView(EntityDetailView):
    model = PartyOrg
    fields = (
        "name", "type", "type_text", "mode", "mode_text", "town", "superior", "secretary",
        "founded_on", "formal_members", "probationary_members", "members_total", "status",
        "unit_count", "units_in_scope", "suggested_type", "source",
    )  # fmt: skip
    findings = PARTY_FINDING_LABELS
    units = "party_orgs"
    units_title = "所在单位"
