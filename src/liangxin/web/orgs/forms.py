"""Survey facts a 镇街 or county user corrects (docs/rules.md §R1), with validation."""

from __future__ import annotations

from django import forms

from liangxin.web.orgs.models import SURVEY_FACTS, Org

OPERATING = ["正常经营", "停产", "歇业", "破产", "已搬离", "查无此单位"]
UNKNOWN_YES_NO = [("", "未知"), ("true", "是"), ("false", "否")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=UNKNOWN_YES_NO,
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )


class SurveyFactsForm(forms.Form):
    employees = forms.IntegerField(
        label="从业人员数", min_value=0, max_value=1_000_000, required=False
    )
    survey_formal_members = forms.IntegerField(
        label="正式党员数", min_value=0, max_value=100_000, required=False
    )
    has_premises = _yes_no("是否有固定场所")
    operating = forms.ChoiceField(
        label="经营状况", choices=[("", "未知")] + [(o, o) for o in OPERATING], required=False
    )
    revenue_wan = forms.FloatField(
        label="营业收入（万元）", min_value=0, max_value=100_000_000, required=False
    )
    investor_is_member = _yes_no("出资人是否党员")
    unbuilt_reason = forms.CharField(label="未建党组织原因", max_length=300, required=False)
    mass_orgs = forms.CharField(label="已建群团组织", max_length=200, required=False)

    def __init__(self, *args, org: Org, **kwargs):
        initial = {name: _initial(getattr(org, name)) for name in SURVEY_FACTS}
        super().__init__(*args, initial=initial, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        employees, members = data.get("employees"), data.get("survey_formal_members")
        if employees is not None and members is not None and members > employees:
            self.add_error("survey_formal_members", "正式党员数不能超过从业人员数")
        for name in ("operating", "unbuilt_reason", "mass_orgs"):
            data[name] = (data.get(name) or "").strip() or None
        return data

    def changes(self) -> dict[str, object]:
        """The facts whose value differs from the organization's current value."""
        return {
            name: self.cleaned_data[name]
            for name in SURVEY_FACTS
            if name in self.fields and self.cleaned_data[name] != _value(self.initial[name])
        }


def _initial(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _value(initial):
    return (
        {"true": True, "false": False}.get(initial, initial)
        if isinstance(initial, str)
        else initial
    )
