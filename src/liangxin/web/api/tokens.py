"""接口令牌 page: a user creates and revokes own tokens; the 安全管理员 lists and revokes
everyone's (without seeing them: only a digest is stored)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.decorators.http import require_POST

from liangxin.web.api.actions import do_create_token, do_revoke_token
from liangxin.web.api.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label="用途", max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("请填写用途")
        return name


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
        return self.page(request, TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        _, clear = do_create_token(request.user, form.cleaned_data["name"])
        response = self.page(request, TokenForm(), clear=clear)
        response["Cache-Control"] = "no-store"  # the one page that shows the token
        return response


@require_POST
def revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.restrict(request.user), pk=pk)
    do_revoke_token(request.user, token)
    messages.success(request, f"已吊销接口令牌“{token.name}”")
    return redirect("api:tokens")
