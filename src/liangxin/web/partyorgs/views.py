from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View

from liangxin.engine.labels import PARTY_FINDING_LABELS
from liangxin.web.core.scope import CHANGE
from liangxin.web.core.views import ObjectListView, can_change, get_restricted
from liangxin.web.orgs.entities import EntityDetailView
from liangxin.web.partyorgs.actions import do_set_party_org_facts
from liangxin.web.partyorgs.filtersets import PartyOrgFilter
from liangxin.web.partyorgs.forms import PartyOrgForm
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

    def context(self, request, obj) -> dict:
        from liangxin.web.jobs.models import pending_rescreen

        context = super().context(request, obj)
        if can_change(obj, request.user):
            context["edit_url"] = "partyorgs:edit"
        context["job"] = pending_rescreen(request.user)
        return context


class PartyOrgEditView(View):
    template_name = "partyorgs/edit.html"

    def get(self, request, pk: int):
        party_org = get_restricted(PartyOrg, request.user, CHANGE, pk=pk)
        form = PartyOrgForm(party_org=party_org, user=request.user)
        return render(request, self.template_name, {"object": party_org, "form": form})

    def post(self, request, pk: int):
        party_org = get_restricted(PartyOrg, request.user, CHANGE, pk=pk)
        form = PartyOrgForm(request.POST, party_org=party_org, user=request.user)
        if not form.is_valid():
            context = {"object": party_org, "form": form}
            return render(request, self.template_name, context, status=400)
        changes = form.changes()
        if changes:
            do_set_party_org_facts(request.user, party_org, changes)
            messages.success(request, "已保存。正在重新筛查，检查结果和所在单位的标志稍后更新。")
        else:
            messages.info(request, "没有修改")
        return redirect("partyorgs:detail", pk=party_org.pk)
