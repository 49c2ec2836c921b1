"""Correcting a party organization: type, mode, members, secretary, founded date, units."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.db.models import Q
from django.utils import timezone

from liangxin.engine.labels import MODE_LABELS, TYPE_LABELS
from liangxin.web.core.scope import CHANGE
from liangxin.web.orgs.models import Org
from liangxin.web.partyorgs.models import PARTY_ORG_FACTS, PartyOrg

UNKNOWN = ("", "未知")
SEPARATORS = re.compile(r"[\s、，,；;]+")


class PartyOrgForm(forms.Form):
    type = forms.ChoiceField(label="类别", choices=[UNKNOWN, *TYPE_LABELS.items()], required=False)
    mode = forms.ChoiceField(
        label="组建方式", choices=[UNKNOWN, *MODE_LABELS.items()], required=False
    )
    formal_members = forms.IntegerField(
        label="正式党员数", min_value=0, max_value=100_000, required=False
    )
    probationary_members = forms.IntegerField(
        label="预备党员数", min_value=0, max_value=100_000, required=False
    )
    secretary = forms.CharField(label="书记", max_length=60, required=False)
    founded_on = forms.DateField(
        label="成立时间", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    units = forms.MultipleChoiceField(
        label="所在单位（取消勾选即移出）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    add_units = forms.CharField(
        label="增加所在单位（填写统一社会信用代码或单位编号，多个用换行或顿号分隔）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, party_org: PartyOrg, user, **kwargs):
        self.party_org, self.user = party_org, user
        current = list(party_org.units.order_by("name_sort").values_list("org_id", "name", "pk"))
        changeable = set(
            Org.objects.restrict(user, CHANGE)
            .filter(party_orgs=party_org)
            .values_list("org_id", flat=True)
        )
        # units the user may not change stay as they are (and are not shown)
        self.kept_units = sorted(o for o, _, _ in current if o not in changeable)
        initial = {name: getattr(party_org, name) for name in PARTY_ORG_FACTS if name != "units"}
        initial["units"] = sorted(o for o, _, _ in current if o in changeable)
        self.current_units = sorted(o for o, _, _ in current)
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["units"].choices = [(o, name) for o, name, _ in current if o in changeable]
        for name, field in self.fields.items():
            if name == "units":
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def clean_secretary(self):
        return (self.cleaned_data.get("secretary") or "").strip() or None

    def clean_founded_on(self):
        value = self.cleaned_data.get("founded_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("成立时间不能晚于今天")
        return value

    def clean_add_units(self) -> list[str]:
        tokens = [
            t.upper() for t in SEPARATORS.split(self.cleaned_data.get("add_units") or "") if t
        ]
        if not tokens:
            return []
        found: dict[str, str] = {}  # credit code or org_id → org_id
        matches = (
            Org.objects.restrict(self.user, CHANGE)
            .filter(Q(credit_code__in=tokens) | Q(org_id__in=tokens))
            .values_list("org_id", "credit_code")
        )
        for org_id, code in matches:
            found[org_id] = org_id
            if code:
                found[code] = org_id
        unknown = [t for t in tokens if t not in found]
        if unknown:
            raise forms.ValidationError(
                "找不到以下单位，或不在您的管辖范围内：" + "、".join(unknown)
            )
        return sorted({found[t] for t in tokens})

    def clean(self):
        data = super().clean()
        for name in ("type", "mode"):
            data[name] = data.get(name) or None
        if self.errors:
            return data
        units = sorted(set(self.kept_units) | set(data.get("units") or []) | set(data["add_units"]))
        data["units"] = units
        formal, probationary = data.get("formal_members"), data.get("probationary_members")
        structure_changed = units != self.current_units or data.get("mode") != self.party_org.mode
        if not units:
            self.add_error("units", "党组织至少要有一个所在单位")
        elif structure_changed and data.get("mode") == "single" and len(units) != 1:
            self.add_error("mode", f"单独组建的党组织只能有1个所在单位，现有{len(units)}个")
        elif structure_changed and data.get("mode") == "joint" and len(units) < 2:
            self.add_error("mode", "联合组建的党组织应有2个及以上所在单位")
        if probationary is not None and formal is None:
            self.add_error("formal_members", "填写预备党员数时请同时填写正式党员数")
        return data

    def changes(self) -> dict[str, object]:
        """The values that differ from the party organization's current ones (JSON-able)."""
        out: dict[str, object] = {}
        for name in PARTY_ORG_FACTS:
            new = self.cleaned_data[name]
            old = self.current_units if name == "units" else getattr(self.party_org, name)
            if new != old:
                out[name] = new.isoformat() if isinstance(new, datetime.date) else new
        return out
