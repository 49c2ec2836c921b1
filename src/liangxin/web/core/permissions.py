"""Who may do what, declared once (docs/security.md §2, “角色与操作权限”).

Every action that changes state (``do_*`` in an app's ``actions.py``) starts with
``require(user, PERMISSION, objects)``: it refuses by itself, whoever calls it — a page, a
command, the API — before anything is saved or audited. Pages still answer 404 for objects
outside the user's scope and hide the buttons a user may not press (``allowed``); the action does
not rely on them.

A permission names the roles that hold it (a superuser counts as 县级管理员, ``role_of``), the
scope the objects acted on must lie in, and, for a right granted person by person, the user's
flag. A user who is not logged in or is deactivated holds none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from liangxin.web.core.scope import (
    ALL_ROLES,
    CHANGE,
    DATA_ROLES,
    EDITING_ROLES,
    VIEW,
    Role,
    Scope,
    role_of,
)


@dataclass(frozen=True)
class Permission:
    does: str  # what it allows, as the refusal says it: “只有县级管理员可以冻结台账期次”
    roles: frozenset[str]
    scope: str = CHANGE  # the objects acted on must be in this scope of the user
    grant: str | None = None  # a flag of the user's also needed (granted by the 安全管理员)
    command_line: bool = False  # the server's command line (no user: ``actor`` None) may do it

    def refusal(self) -> str:
        who = "、".join(Role(role).label for role in Role if role in self.roles)
        return f"只有{who}可以{self.does}"


COUNTY_ADMINS = frozenset({Role.COUNTY_ADMIN})

IMPORT = Permission("导入数据", COUNTY_ADMINS)
MAP_COLUMNS = Permission("确认表头含义", COUNTY_ADMINS)
UPLOAD_BOUNDARY = Permission("上传镇街边界", COUNTY_ADMINS)
FREEZE_PERIOD = Permission("冻结台账期次", COUNTY_ADMINS)
WAIVE_CLOSURE = Permission("豁免销号任务", COUNTY_ADMINS)
COMPLETE_COUNTY_TASK = Permission("标记县级任务完成", COUNTY_ADMINS)
RESYNC_CLOSURES = Permission("重新筛查以同步销号任务", COUNTY_ADMINS)
EDIT_SURVEY = Permission("修改单位的摸排信息", EDITING_ROLES)
EDIT_PARTY_ORG = Permission("修改党组织信息", EDITING_ROLES)
PLAN_CLOSURE = Permission("填写销号任务的计划", EDITING_ROLES)
DECIDE_MATCH = Permission("确认疑似同一单位", EDITING_ROLES)
DISPATCH = Permission("采纳指导员选派方案", EDITING_ROLES)
GENERATE_VERIFICATION = Permission("生成核实任务", COUNTY_ADMINS)
ANSWER_VERIFICATION = Permission("填报核实结果", EDITING_ROLES)
ASSIGN_VERIFICATION = Permission("分派核实任务", EDITING_ROLES)
REVEAL_PERSONAL = Permission(
    "查看完整个人信息", DATA_ROLES, scope=VIEW, grant="can_reveal_personal"
)
MANAGE_USERS = Permission("管理用户", frozenset({Role.SECURITY_ADMIN}), command_line=True)
# each user's own tokens; the 安全管理员 revokes anyone's (``ApiToken.objects.restrict``)
CREATE_TOKEN = Permission("创建接口令牌", ALL_ROLES)
REVOKE_TOKEN = Permission("吊销接口令牌", ALL_ROLES, scope=VIEW)

PERMISSIONS = (
    IMPORT, MAP_COLUMNS, UPLOAD_BOUNDARY, FREEZE_PERIOD, WAIVE_CLOSURE, COMPLETE_COUNTY_TASK,
    RESYNC_CLOSURES,
    EDIT_SURVEY, EDIT_PARTY_ORG, PLAN_CLOSURE, DECIDE_MATCH, DISPATCH, GENERATE_VERIFICATION,
    ANSWER_VERIFICATION, ASSIGN_VERIFICATION, REVEAL_PERSONAL,
    MANAGE_USERS, CREATE_TOKEN, REVOKE_TOKEN,
)  # fmt: skip


class NotAllowed(PermissionDenied):
    """A refused action; the message (Chinese) says who may do it. A page shows it as 403."""


def allowed(user, permission: Permission) -> bool:
    """Whether the user holds the permission (whatever the objects)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if role_of(user) not in permission.roles:
        return False
    return permission.grant is None or bool(getattr(user, permission.grant, False))


def require(user, permission: Permission, objects: Sequence = ()) -> None:
    """Refuse (``NotAllowed``) unless the user holds the permission and every object (model
    instances of one model) is in the user's scope for it. ``user`` None is the server's command
    line, allowed only what is declared ``command_line``."""
    if user is None and permission.command_line:
        return
    if not allowed(user, permission):
        if user is not None and role_of(user) in permission.roles and permission.grant:
            raise NotAllowed(f"没有{permission.does}的权限")
        raise NotAllowed(permission.refusal())
    keys = {obj.pk for obj in objects}
    if not keys or Scope.of(user, permission.scope).everything:
        return
    model = type(objects[0])
    mine = model.objects.restrict(user, permission.scope).filter(pk__in=keys).count()
    if mine != len(keys):
        raise NotAllowed(f"所选{model._meta.verbose_name}不在您可以{permission.does}的范围内")
