"""Users with a role and a scope (issue 4 §4)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from liangxin.web.core.scope import RestrictedQuerySet, Role


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
