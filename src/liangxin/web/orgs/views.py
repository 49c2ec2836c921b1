from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from liangxin.engine.labels import FLAG_LABELS, SUBTYPE_LABELS
from liangxin.engine.screen.wording import REASON_SEPARATOR
from liangxin.web.audit.actions import Action, log
from liangxin.web.audit.models import AuditLog
from liangxin.web.core.labels import flag_state
from liangxin.web.core.masking import REVEAL_REASON_MIN, mask_field
from liangxin.web.core.permissions import REVEAL_PERSONAL, allowed, require
from liangxin.web.core.scope import CHANGE
from liangxin.web.core.views import ObjectDetailView, ObjectListView, can_change, get_restricted
from liangxin.web.instructors.models import Instructor
from liangxin.web.jobs.models import pending_rescreen
from liangxin.web.orgs.actions import EditConflict, do_reveal, do_set_survey_facts
from liangxin.web.orgs.export import export_orgs
from liangxin.web.orgs.filtersets import OrgFilter
from liangxin.web.orgs.forms import SurveyFactsForm
from liangxin.web.orgs.models import Org
from liangxin.web.orgs.tables import LIST_FIELDS, OrgTable
from liangxin.web.parks.models import Park
from liangxin.web.partyorgs.models import PartyOrg
from liangxin.web.sources.models import SourceRecord

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

    def queryset(self, request):
        return super().queryset(request).only(*LIST_FIELDS)


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
        return FileResponse(
            export_orgs(queryset),
            as_attachment=True,
            filename="orgs.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


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
        reveal = getattr(request, "reveal_personal", False)  # set by OrgRevealView, audited
        # An organization's source rows are in scope exactly when the organization is (the
        # scope rule of SourceRecord for rows with an organization): filtering through the
        # organization's own restricted queryset spares the scope's other branches.
        records = list(
            SourceRecord.objects.filter(org__in=Org.objects.restrict(user).filter(pk=org.pk))
        )
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
        flags = [(label, *flag_state(org, name)) for name, label in FLAG_LABELS.items()]
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
            "may_reveal": allowed(user, REVEAL_PERSONAL),
            "job": pending_rescreen(user),
        }


class OrgRevealView(View):
    """POST a reason to see this organization's personal data unmasked (separate permission)."""

    def post(self, request, pk: int):
        org = get_restricted(Org, request.user, pk=pk)
        require(request.user, REVEAL_PERSONAL)  # before asking for a reason
        reason = request.POST.get("reason", "").strip()
        if len(reason) < REVEAL_REASON_MIN:
            messages.error(request, f"请填写查看完整个人信息的原因（至少{REVEAL_REASON_MIN}个字）")
            return redirect("orgs:detail", pk=org.pk)
        do_reveal(request.user, org, reason[:200])
        request.reveal_personal = True
        return OrgDetailView().get(request, pk)


def _version(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


class OrgEditView(View):
    def get(self, request, pk: int):
        org = get_restricted(Org, request.user, CHANGE, pk=pk)
        return render(
            request,
            "orgs/edit.html",
            {"object": org, "form": SurveyFactsForm(org=org), "version": org.version},
        )

    def conflict(self, request, org, form):
        """Someone saved in between: nothing of this edit is saved; the form shows the latest
        values (and the version to start again from)."""
        latest = (
            AuditLog.objects.filter(object_type="orgs.org", object_id=str(org.pk))
            .order_by("-seq")
            .first()
        )
        who = f"{latest.username}于{timezone.localtime(latest.time):%H:%M}" if latest else "他人"
        conflict = (
            f"保存冲突：在您编辑期间，该单位的摸排信息已被{who}修改，您的修改没有保存。"
            "下面是最新的数据，请核对后重新修改。"
        )
        form = SurveyFactsForm(org=org)
        context = {"object": org, "form": form, "version": org.version, "conflict": conflict}
        return render(request, "orgs/edit.html", context, status=409)

    def post(self, request, pk: int):
        org = get_restricted(Org, request.user, CHANGE, pk=pk)
        form = SurveyFactsForm(request.POST, org=org)
        version = _version(request.POST.get("version"))
        context = {"object": org, "form": form, "version": version}
        if not form.is_valid():
            return render(request, "orgs/edit.html", context, status=400)
        if version is not None and version != org.version:
            return self.conflict(request, org, form)
        changes = form.changes()
        if changes:
            try:
                do_set_survey_facts(request.user, org, changes, version)
            except EditConflict:
                org.refresh_from_db()
                return self.conflict(request, org, form)
            messages.success(request, "已保存。正在重新筛查，各项标志稍后更新。")
        else:
            messages.info(request, "没有修改")
        return redirect("orgs:detail", pk=org.pk)
