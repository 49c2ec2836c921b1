"""The one place where what a user may see and change is decided (docs/security.md §2).

Every model's manager offers ``restrict(user, action)``; every list, detail, edit, export,
search, dashboard count and download starts from it, so an object outside the user's scope
is simply not found (404). Roles:

- 县级管理员: everything, may change.         - 领导: everything, read only.
- 镇街用户: own region and below, may change.  - 部门用户: the organizations of the department's
  industries, supervisors and subtypes, read only.
- 指导员: the organizations assigned to the instructor, read only.

Separation of duties (等保 三级, docs/security.md §2): 县级管理员 is the system administrator (data, imports);
安全管理员 manages users and roles and sees no organization data; 审计员 reads the whole audit log
and nothing else. No role can change or erase the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

VIEW = "view"
CHANGE = "change"


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", "县级管理员"
    TOWN = "town", "镇街用户"
    DEPARTMENT = "department", "部门用户"
    INSTRUCTOR = "instructor", "指导员"
    LEADER = "leader", "领导"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDITOR = "auditor", "审计员"


EDITING_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWN})
COUNTY_WIDE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.LEADER})
# the roles that see organization data, each within its own scope
DATA_ROLES = frozenset(
    {Role.COUNTY_ADMIN, Role.TOWN, Role.DEPARTMENT, Role.INSTRUCTOR, Role.LEADER}
)
ALL_ROLES = frozenset(Role)


def role_of(user) -> str | None:
    """The user's role; a superuser is treated as the 县级管理员."""
    if user is None or not user.is_authenticated:
        return None
    return Role.COUNTY_ADMIN if user.is_superuser else user.role


def _grounds(user) -> tuple:
    """What a user's scope rests on: when any of it changes, the scope is worked out again."""
    return (
        user.is_superuser,
        user.role,
        user.region_id,
        user.instructor_id,
        tuple(user.dept_industries),
        tuple(user.dept_supervisors),
        tuple(user.dept_subtypes),
    )


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    nothing: bool = False
    region_path: str | None = None  # this region and below (镇街用户)
    department: dict[str, list[str]] = field(default_factory=dict)  # field → allowed values
    instructor_id: int | None = None

    @classmethod
    def of(cls, user, action: str = VIEW) -> Scope:
        """The user's scope for ``action``. Worked out once per user object — a request's user,
        so once per request, however many lists, counts and menus ask — and again only when its
        grounds (role, region, department, instructor) change on that object."""
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(nothing=True)
        if action == CHANGE and role_of(user) not in EDITING_ROLES:
            return cls(nothing=True)
        grounds = _grounds(user)
        memo = getattr(user, "_scope_memo", None)
        if memo is None or memo[0] != grounds:
            memo = (grounds, cls.seen_by(user))
            user._scope_memo = memo
        return memo[1]

    @classmethod
    def seen_by(cls, user) -> Scope:
        """What an active user sees (and, in an editing role, may change)."""
        role = role_of(user)
        if role in COUNTY_WIDE_ROLES:
            return cls(everything=True)
        if role == Role.TOWN and user.region_id:
            return cls(region_path=user.region.path)
        if role == Role.DEPARTMENT:
            allowed = {k: v for k, v in user.department_scope().items() if v}
            return cls(department=allowed) if allowed else cls(nothing=True)
        if role == Role.INSTRUCTOR and user.instructor_id:
            return cls(instructor_id=user.instructor_id)
        return cls(nothing=True)

    def orgs(self, prefix: str = "") -> Q:
        """The organizations in scope, as a filter on Org (through ``prefix``, e.g. ``org__``)."""
        if self.region_path is not None:
            return Q(**{f"{prefix}region_path__under": self.region_path})
        if self.department:
            q = Q()
            for name, values in self.department.items():
                q |= Q(**{f"{prefix}{name}__in": values})
            return q
        if self.instructor_id is not None:
            return Q(**{f"{prefix}instructors": self.instructor_id})
        return Q(pk__in=[])

    def region(self, prefix: str = "") -> Q:
        """Objects placed in a region (parks, instructors…) that a 镇街 user sees by place."""
        if self.region_path is not None:
            return Q(**{f"{prefix}region_path__under": self.region_path})
        return Q(pk__in=[])


class RestrictedQuerySet(models.QuerySet):
    """Base of every model's queryset: ``restrict`` applies the user's scope."""

    def restrict(self, user, action: str = VIEW):
        scope = Scope.of(user, action)
        if scope.nothing:
            return self.none()
        if scope.everything:
            return self
        return self.filter(self.scope_filter(scope, user))

    def scope_filter(self, scope: Scope, user) -> Q:  # pragma: no cover - abstract
        raise NotImplementedError(f"{self.model.__name__} must say what is in a user's scope")


class OwnedQuerySet(RestrictedQuerySet):
    """Objects a user started (imports, tasks): besides county-wide roles, only their owner."""

    def scope_filter(self, scope: Scope, user) -> Q:
        return Q(created_by=user)
