"""Filter forms: a list page's GET parameters → a queryset filter."""

from __future__ import annotations

from django import forms
from django.db.models import Q

ALL = ("", "全部")
YES_NO = [ALL, ("1", "是"), ("0", "否")]


class InvalidFilter(ValueError):
    """A filter value the form refuses; the message is Chinese, for the 400 page."""


class FilterForm(forms.Form):
    """Subclasses declare fields and ``apply_<field>(queryset, value)`` or ``lookups``;
    ``q`` searches ``search_fields`` (a credit code in any case)."""

    lookups: dict[str, str] = {}
    search_fields: tuple[str, ...] = ()
    search_label = "搜索"

    q = forms.CharField(label="搜索", required=False)

    def __init__(self, data=None, user=None, **kwargs):
        self.user = user
        super().__init__(data or None, **kwargs)
        self.fields["q"].label = self.search_label
        for field in self.fields.values():
            field.required = False
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            small = "form-select form-select-sm" if isinstance(widget, forms.Select) else None
            widget.attrs.setdefault("class", small or "form-control form-control-sm")

    def filter(self, queryset):
        """The queryset filtered; ``InvalidFilter`` for a value outside the choices (another
        镇街, ``in_scope=true``): ignoring it would show more than was asked for."""
        if not self.is_bound:
            return queryset
        if not self.is_valid():
            raise InvalidFilter(self.error_text())
        for name, value in self.cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            method = getattr(self, f"apply_{name}", None)
            if method is not None:
                queryset = method(queryset, value)
            elif name in self.lookups:
                queryset = queryset.filter(**{self.lookups[name]: _boolean(value)})
        return queryset

    def error_text(self) -> str:
        problems = [
            f"{self.fields[name].label if name in self.fields else name}："
            + "；".join(error.rstrip("。") for error in errors)
            for name, errors in self.errors.items()
        ]
        return "筛选条件有误（" + "；".join(problems) + "）"

    def apply_q(self, queryset, value: str):
        text = value.strip()
        q = Q()
        for field in self.search_fields:
            q |= Q(**{field: text.upper() if "credit_code" in field else text})
        return queryset.filter(q)

    def apply_flags(self, queryset, values):
        """Every flag ticked must hold."""
        return queryset.filter(**{flag: True for flag in values})


def _boolean(value):
    return {"1": True, "0": False}.get(value, value) if isinstance(value, str) else value


def yes_no(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=YES_NO, required=False)


def choice(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[ALL, *choices], required=False)


def flags(label: str, choices: dict[str, str]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=list(choices.items()), widget=forms.CheckboxSelectMultiple
    )
