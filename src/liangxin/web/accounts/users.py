"""User management in the browser, for the 安全管理员 only (separation of duties, docs/security.md §2):
list, create, set role and scope, (de)activate, unlock, reset password; all audited."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from liangxin.web.accounts.actions import (
    do_reset_password,
    do_reset_totp,
    do_save_user,
    do_unlock,
)
from liangxin.web.accounts.forms import ResetPasswordForm, UserForm
from liangxin.web.accounts.models import LoginThrottle, User
from liangxin.web.core.permissions import MANAGE_USERS, require


def security_admin_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        require(request.user, MANAGE_USERS)
        return view(request, *args, **kwargs)

    return wrapper


@security_admin_only
def user_list(request):
    locked = dict(
        LoginThrottle.objects.filter(
            kind=LoginThrottle.Kind.ACCOUNT, locked_until__gt=timezone.now()
        ).values_list("key", "locked_until")
    )
    users = [
        (user, locked.get(user.username))
        for user in User.objects.select_related("region", "instructor").order_by("role", "username")
    ]
    addresses = LoginThrottle.objects.filter(
        kind=LoginThrottle.Kind.ADDRESS, locked_until__gt=timezone.now()
    ).order_by("key")
    return render(
        request,
        "accounts/users.html",
        {"title": "用户管理", "users": users, "addresses": addresses},
    )


@security_admin_only
def user_edit(request, pk: int | None = None):
    user = get_object_or_404(User, pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=user, actor=request.user)
    if request.method == "POST" and form.is_valid():
        saved = do_save_user(
            request.user,
            form.cleaned_data["username"] if user is None else user.username,
            form.cleaned_data.get("password"),
            form.cleaned_data["first_name"],
            must_change_password=True,
            **form.scope_fields(),
        )
        messages.success(request, f"已保存用户 {saved.username}")
        return redirect("accounts:users")
    reset = ResetPasswordForm(user=user) if user else None
    title = f"用户 {user.username}" if user else "新建用户"
    return render(
        request,
        "accounts/user_form.html",
        {"title": title, "form": form, "reset": reset, "object": user},
    )


@require_POST
@security_admin_only
def user_password(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    form = ResetPasswordForm(request.POST, user=user)
    if form.is_valid():
        do_reset_password(request.user, user, form.cleaned_data["password"])
        messages.success(request, f"已重置 {user.username} 的密码，该用户下次登录须修改")
        return redirect("accounts:users")
    return render(
        request,
        "accounts/user_form.html",
        {
            "title": f"用户 {user.username}",
            "form": UserForm(instance=user, actor=request.user),
            "reset": form,
            "object": user,
        },
    )


@require_POST
@security_admin_only
def user_unlock(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    do_unlock(request.user, user.username)
    messages.success(request, f"已解除 {user.username} 的登录锁定")
    return redirect("accounts:users")


@require_POST
@security_admin_only
def address_unlock(request):
    address = request.POST.get("address", "")
    if not LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ADDRESS, key=address).exists():
        raise Http404
    do_unlock(request.user, address, LoginThrottle.Kind.ADDRESS)
    messages.success(request, f"已解除来源地址 {address} 的登录锁定")
    return redirect("accounts:users")


@require_POST
@security_admin_only
def user_totp_reset(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    do_reset_totp(request.user, user)
    messages.success(request, f"已重置 {user.username} 的动态口令，该用户须重新绑定")
    return redirect("accounts:users")
