from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from liangxin.web.accounts.actions import do_change_password, do_enable_totp, do_use_totp
from liangxin.web.accounts.forms import ChangePasswordForm, LoginForm
from liangxin.web.accounts.lockout import (
    client_address,
    locked_until,
    record_failure,
    record_success,
)
from liangxin.web.accounts.middleware import totp_required
from liangxin.web.accounts.models import User
from liangxin.web.accounts.totp import matching_counter, new_secret, provisioning_uri
from liangxin.web.audit.actions import Action, log

PENDING = "liangxin_2fa_pending"  # (user id, when, next) between password and code
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """Password first; a user with a second factor then gives the code (``login_code``)."""

    form_class = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if not user.totp_secret:
            return super().form_valid(form)
        self.request.session[PENDING] = [user.pk, int(time.time()), self.get_success_url()]
        return redirect("login_code")


@login_not_required
def login_code(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending[1] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return redirect("login")
    user = User.objects.filter(pk=pending[0], is_active=True).first()
    if user is None or not user.totp_secret:
        return redirect("login")
    error = ""
    if request.method == "POST":
        address = client_address(request)
        until = locked_until(user.username, address)
        counter = None
        if until is None:
            counter = matching_counter(
                user.totp_secret, request.POST.get("code", ""), after=user.totp_last_counter
            )
        if counter is not None:
            do_use_totp(user, counter)
            record_success(user.username)
            request.session.pop(PENDING, None)
            auth_login(request, user, backend="liangxin.web.accounts.backends.LockoutBackend")
            target = pending[2]
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = "dashboard:home"
            return redirect(target)
        if until is None:
            record_failure(user.username, address)
            log(Action.LOGIN_FAILED, note=f"用户名：{user.username}；动态口令错误；地址 {address}")
            until = locked_until(user.username, address)
        error = (
            f"连续登录失败次数过多，已锁定至 {timezone.localtime(until):%H:%M}"
            if until
            else "动态口令不正确或已使用过"
        )
    return render(request, "accounts/login_code.html", {"title": "动态口令", "error": error})


class TotpView(View):
    """Bind an authenticator app: scan or type the secret, then give one code."""

    template_name = "accounts/totp.html"
    SESSION = "liangxin_totp_candidate"

    def get(self, request):
        secret = request.session.get(self.SESSION) or new_secret()
        request.session[self.SESSION] = secret
        return self._render(request, secret, "")

    def post(self, request):
        secret = request.session.get(self.SESSION)
        if not secret:
            return redirect("accounts:totp")
        counter = matching_counter(secret, request.POST.get("code", ""))
        if counter is None:
            return self._render(request, secret, "动态口令不正确，请核对手机上的时间和密钥后重试")
        do_enable_totp(request.user, secret, counter)
        request.session.pop(self.SESSION, None)
        messages.success(request, "已启用动态口令，以后登录须输入")
        return redirect("dashboard:home")

    def _render(self, request, secret, error):
        return render(
            request,
            self.template_name,
            {
                "title": "绑定动态口令",
                "secret": secret,
                "uri": provisioning_uri(secret, request.user.username),
                "error": error,
                "required": totp_required(request.user),
            },
        )


class PasswordView(View):
    """Change one's own password (also where an initial or expired password leads)."""

    template_name = "accounts/password.html"

    def get(self, request):
        return self._render(request, ChangePasswordForm(request.user))

    def post(self, request):
        form = ChangePasswordForm(request.user, request.POST)
        if not form.is_valid():
            return self._render(request, form)
        do_change_password(request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改")
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = "dashboard:home"
        return redirect(target)

    def _render(self, request, form):
        return render(
            request,
            self.template_name,
            {"form": form, "title": "修改密码", "next": request.GET.get("next", "")},
        )


password_view = PasswordView.as_view()
password_view.password_change_exempt = True
logout_view = auth_views.LogoutView.as_view()
logout_view.password_change_exempt = True
totp_view = TotpView.as_view()
totp_view.totp_exempt = True
