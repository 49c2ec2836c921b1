"""Users with a role and a scope (docs/rules.md §R1, docs/security.md §2)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from liangxin.web.core.scope import RestrictedQuerySet, Role
from liangxin.web.core.sealed import SealedCharField


class UserQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        return Q(pk=user.pk)  # only 县级管理员 and 领导 see other users


class Manager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.TOWN)
    region = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所辖区域",
    )
    instructor = models.ForeignKey(
        "instructors.Instructor",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="指导员",
    )
    # 部门用户: the organizations of these 行业门类 / 业务主管单位 / 社会组织类型
    dept_industries = models.JSONField("行业", default=list, blank=True)
    dept_supervisors = models.JSONField("业务主管单位", default=list, blank=True)
    dept_subtypes = models.JSONField("社会组织类型", default=list, blank=True)

    # 身份鉴别 (docs/security.md §1): an initial or reset password must be changed at the next login, and
    # every password after LIANGXIN_PASSWORD_MAX_AGE_DAYS.
    must_change_password = models.BooleanField("须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)
    # 个人信息保护: seeing a phone number or name unmasked is a permission of its own, granted by
    # the 安全管理员; each use needs a reason and is audited (orgs/actions.py ``do_reveal``).
    can_reveal_personal = models.BooleanField("可查看完整个人信息", default=False)
    # optional second factor (accounts/totp.py); required of administrator roles when
    # LIANGXIN_TOTP=1. ``totp_last_counter``: the last time step used (a code works once).
    totp_secret = SealedCharField(
        "动态口令密钥", max_length=200, blank=True, editable=False, purpose="totp secret"
    )
    totp_last_counter = models.BigIntegerField(default=0, editable=False)

    objects = Manager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def department_scope(self) -> dict[str, list[str]]:
        return {
            "industry": list(self.dept_industries),
            "supervisor": list(self.dept_supervisors),
            "subtype": list(self.dept_subtypes),
        }

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def can_edit(self) -> bool:
        return self.is_superuser or self.role in (Role.COUNTY_ADMIN, Role.TOWN)

    @property
    def is_county_admin(self) -> bool:
        return self.is_superuser or self.role == Role.COUNTY_ADMIN

    @property
    def is_security_admin(self) -> bool:
        return self.role == Role.SECURITY_ADMIN

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR


class LoginThrottle(models.Model):
    """Failed logins of one account or one client address, and until when it is locked out.

    In the database (not a cache) so that every web process sees the same counts."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", "账户"
        ADDRESS = "address", "地址"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    key = models.CharField("用户名或地址", max_length=150)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    first_failure = models.DateTimeField("首次失败时间", null=True, blank=True)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录失败记录"
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="login_throttle_kind_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"
