from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from liangxin.web.accounts.lockout import client_address, locked_until
from liangxin.web.accounts.models import User
from liangxin.web.core.scope import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确",
        "inactive": "该账户已停用",
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            until = locked_until(
                self.cleaned_data.get("username") or "", client_address(self.request)
            )
            if until is not None:
                raise ValidationError(
                    f"连续登录失败次数过多，已锁定至 {timezone.localtime(until):%H:%M}，"
                    "请届时再试或请安全管理员解锁",
                    code="locked",
                ) from None
            raise


class ChangePasswordForm(PasswordChangeForm):
    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and not self.errors and self.user.check_password(password):
            self.add_error("new_password1", "新密码不能与原密码相同")
        return cleaned


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


class UserForm(forms.ModelForm):
    """A security administrator's view of a user: role, scope, active; and, for a new user,
    the initial password (which the user must change at the first login)."""

    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少8个字符，包含大写字母、小写字母、数字、符号中的至少3类，不能包含用户名；"
        "用户首次登录须修改",
    )
    industries = forms.CharField(label="行业（部门用户，逗号分隔）", required=False)
    supervisors = forms.CharField(label="业务主管单位（部门用户，逗号分隔）", required=False)
    subtypes = forms.CharField(label="社会组织类型代码（部门用户，逗号分隔）", required=False)

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "role",
            "region",
            "instructor",
            "can_reveal_personal",
            "is_active",
        ]
        labels = {"first_name": "姓名", "is_active": "启用"}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if self.instance.pk:
            del self.fields["password"]
            self.fields["username"].disabled = True
            self.initial.update(
                industries="，".join(self.instance.dept_industries),
                supervisors="，".join(self.instance.dept_supervisors),
                subtypes="，".join(self.instance.dept_subtypes),
            )
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field.widget, forms.CheckboxInput)
                else ("form-select" if isinstance(field.widget, forms.Select) else "form-control")
            )
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if self.instance.pk and self.instance == self.actor and role != self.instance.role:
            raise ValidationError("不能修改自己的角色")
        if role == Role.TOWN and not cleaned.get("region"):
            self.add_error("region", "镇街用户须选择所辖区域")
        if role == Role.INSTRUCTOR and not cleaned.get("instructor"):
            self.add_error("instructor", "指导员用户须选择指导员")
        if role == Role.DEPARTMENT and not any(
            _names(cleaned.get(name, "")) for name in ("industries", "supervisors", "subtypes")
        ):
            self.add_error("industries", "部门用户须填写行业、业务主管单位或社会组织类型")
        password = cleaned.get("password")
        if password:
            try:
                validate_password(password, User(username=cleaned.get("username", "")))
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned

    def scope_fields(self) -> dict:
        c = self.cleaned_data
        return {
            "role": c["role"],
            "region": c.get("region") if c["role"] == Role.TOWN else None,
            "instructor": c.get("instructor") if c["role"] == Role.INSTRUCTOR else None,
            "dept_industries": _names(c.get("industries", "")),
            "dept_supervisors": _names(c.get("supervisors", "")),
            "dept_subtypes": _names(c.get("subtypes", "")),
            "is_active": c.get("is_active", False),
            "can_reveal_personal": c.get("can_reveal_personal", False),
        }


class ResetPasswordForm(forms.Form):
    password = forms.CharField(
        label="新的初始密码",
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password, self.user)
        return password
