"""接口令牌 page: a user creates and revokes own tokens; a 县级管理员 those of every user."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.decorators.http import require_POST

from liangxin.web.accounts.models import User
from liangxin.web.api.actions import do_create_token, do_revoke_token
from liangxin.web.api.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100)
    owner = forms.ModelChoiceField(label="用户", queryset=User.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_county_admin:
            self.fields["owner"].queryset = User.objects.restrict(user).filter(is_active=True)
            self.fields["owner"].initial = user.pk
        else:
            del self.fields["owner"]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("请填写用途")
        return name

    def token_owner(self):
        return self.cleaned_data.get("owner") or self.user


class TokenListView(View):
    template_name = "api/tokens.html"

    def page(self, request, form, status=200, clear: str | None = None):
        tokens = ApiToken.objects.restrict(request.user).select_related("user", "revoked_by")
        return render(
            request,
            self.template_name,
            {"title": "接口令牌", "tokens": tokens, "form": form, "clear": clear},
            status=status,
        )

    def get(self, request):
        return self.page(request, TokenForm(user=request.user))

    def post(self, request):
        form = TokenForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.page(request, form, status=400)
        _, clear = do_create_token(request.user, form.token_owner(), form.cleaned_data["name"])
        return self.page(request, TokenForm(user=request.user), clear=clear)


@require_POST
def revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.restrict(request.user), pk=pk)
    do_revoke_token(request.user, token)
    messages.success(request, f"已吊销接口令牌“{token.name}”")
    return redirect("api:tokens")
