from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from liangxin.engine.screen.wording import REASON_SEPARATOR
from liangxin.web.audit.actions import Action, log
from liangxin.web.audit.models import AuditLog
from liangxin.web.core.labels import FLAG_LABELS, SUBTYPE_LABELS
from liangxin.web.core.masking import mask_field
from liangxin.web.core.scope import CHANGE
from liangxin.web.core.views import ObjectDetailView, ObjectListView, can_change, get_restricted
from liangxin.web.instructors.models import Instructor
from liangxin.web.orgs.actions import do_set_survey_facts
from liangxin.web.orgs.export import export_orgs
from liangxin.web.orgs.filtersets import OrgFilter
from liangxin.web.orgs.forms import SurveyFactsForm
from liangxin.web.orgs.models import Org
from liangxin.web.orgs.tables import OrgTable
from liangxin.web.parks.models import Park
from liangxin.web.partyorgs.models import PartyOrg
from liangxin.web.sources.models import SourceRecord
from liangxin.web.tasks.models import pending_rescreen

SECTIONS = {
    "基本情况": (
        "credit_code", "name", "kind", "subtype", "town", "legal_form", "org_type", "legal_rep",
        "address", "founded_on", "registered_capital_wan", "industry", "supervisor", "reg_status",
    ),
    "经营、纳税与参保": (
        "revenue_wan", "tax_paid_wan", "tax_status", "insured", "insurance_status",
    ),
    "镇街摸排": (
        "employees", "operating", "has_premises", "survey_formal_members", "formal_members",
        "park", "building", "investor_is_member", "unbuilt_reason", "mass_orgs", "contact",
        "phone", "lon", "lat",
    ),
}  # fmt: skip


class OrgListView(ObjectListView):
    model = Org
    table = OrgTable
    filterset = OrgFilter
    title = "两新组织"
    export_url = "orgs:export"


class OrgExportView(OrgListView):
    def get(self, request):
        form, table, queryset = self.filtered(request)
        count = queryset.count()
        log(
            Action.EXPORT,
            request.user,
            object_type="orgs.org",
            note=f"导出{count}个单位：{request.GET.urlencode()}",
        )
        response = HttpResponse(
            export_orgs(queryset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''orgs.xlsx"
        return response


def _display(org: Org, name: str, reveal: bool):
    value = getattr(org, name)
    if name == "kind":
        return org.get_kind_display()
    if name == "subtype":
        return SUBTYPE_LABELS.get(value, value)
    return value if reveal else mask_field(name, value)


class OrgDetailView(ObjectDetailView):
    model = Org
    template_name = "orgs/detail.html"

    def context(self, request, org):
        user = request.user
        editable = can_change(org, user)
        reveal = editable and request.GET.get("reveal") == "1"
        if reveal:
            log(Action.REVEAL, user, org, note="查看完整的个人信息")
        records = list(SourceRecord.objects.restrict(user).filter(org=org))
        by_ref = {r.ref: r for r in records}
        sections = []
        for title, names in SECTIONS.items():
            rows = []
            for name in names:
                source = org.sources.get(name, "")
                rows.append(
                    {
                        "label": Org._meta.get_field(name).verbose_name,
                        "value": _display(org, name, reveal),
                        "source": source,
                        "record": by_ref.get(source),
                    }
                )
            sections.append((title, rows))
        flags = [(label, getattr(org, name)) for name, label in FLAG_LABELS.items()]
        reasons = [r for r in (org.reasons or "").split(REASON_SEPARATOR) if r]
        return {
            "sections": sections,
            "flags": flags,
            "reasons": reasons,
            "records": records,
            "party_orgs": PartyOrg.objects.restrict(user).filter(units=org),
            "instructors": Instructor.objects.restrict(user).filter(orgs=org),
            "parks": Park.objects.restrict(user).filter(units=org),
            "history": AuditLog.objects.restrict(user).filter(
                object_type="orgs.org", object_id=str(org.pk)
            )[:50],
            "editable": editable,
            "reveal": reveal,
            "task": pending_rescreen(user),
        }


class OrgEditView(View):
    def get(self, request, pk: int):
        org = get_restricted(Org, request.user, CHANGE, pk=pk)
        return render(request, "orgs/edit.html", {"object": org, "form": SurveyFactsForm(org=org)})

    def post(self, request, pk: int):
        org = get_restricted(Org, request.user, CHANGE, pk=pk)
        form = SurveyFactsForm(request.POST, org=org)
        if not form.is_valid():
            return render(request, "orgs/edit.html", {"object": org, "form": form}, status=400)
        changes = form.changes()
        if changes:
            do_set_survey_facts(request.user, org, changes)
            messages.success(request, "已保存。正在重新筛查，各项标志稍后更新。")
        else:
            messages.info(request, "没有修改")
        return redirect("orgs:detail", pk=org.pk)
