"""The console's left menu, declared once: groups of items, each naming the roles that may open it.

A role sees only the items it may open (separation of duties: the 安全管理员 and the 审计员 see no
organization data, so no data page is offered to them). ``tests/web/test_menu.py`` opens every
item as every role that sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from liangxin.web.core.permissions import (
    ANSWER_VERIFICATION,
    DISPATCH,
    IMPORT,
    MANAGE_USERS,
    MAP_COLUMNS,
)
from liangxin.web.core.scope import ALL_ROLES, DATA_ROLES, EDITING_ROLES, Role, role_of


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Group:
    label: str
    items: tuple[Item, ...]


MENU: tuple[Group, ...] = (
    Group(
        "工作台",
        (
            Item("首页", "dashboard:home", DATA_ROLES),
            Item("挂图作战", "maps:map", DATA_ROLES),
            Item("待确认匹配", "review:queue", EDITING_ROLES | {Role.LEADER}),
        ),
    ),
    Group(
        "台账",
        (
            Item("组织", "orgs:list", DATA_ROLES),
            Item("党组织", "partyorgs:list", DATA_ROLES),
            Item("指导员", "instructors:list", DATA_ROLES),
            Item("园区楼宇", "parks:list", DATA_ROLES),
            Item("台账期次", "periods:list", DATA_ROLES),
            Item("目标进度", "periods:progress", DATA_ROLES),
            Item("台账下载", "ledger:home", DATA_ROLES),
        ),
    ),
    Group(
        "组建与销号",
        (
            Item("销号任务", "closures:list", DATA_ROLES),
            Item("核实任务", "verify:list", ANSWER_VERIFICATION.roles),
            Item("选派方案", "assign:plan", DISPATCH.roles),
        ),
    ),
    Group(
        "数据",
        (
            Item("导入", "imports:list", IMPORT.roles),
            Item("表头对照", "columnmaps:list", MAP_COLUMNS.roles),
        ),
    ),
    Group(
        "系统管理",
        (
            Item("用户管理", "accounts:users", MANAGE_USERS.roles),
            # the 安全管理员 manages everyone's tokens (revokes, never sees them)
            Item("接口令牌", "api:tokens", DATA_ROLES | {Role.SECURITY_ADMIN}),
            Item("审计日志", "audit:list", ALL_ROLES),
        ),
    ),
)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    active: bool


def menu_for(user, path: str = "") -> list[tuple[str, list[Link]]]:
    """The groups and links this user may open; ``active`` marks the page at ``path``."""
    role = role_of(user)
    allowed = [
        (group.label, [(i.label, reverse(i.url_name)) for i in group.items if role in i.roles])
        for group in MENU
    ]
    # the longest URL that starts the path (目标进度 /periods/progress/ rather than /periods/)
    matching = [
        url
        for _, items in allowed
        for _, url in items
        if (path == url if url == "/" else path.startswith(url))
    ]
    current = max(matching, key=len, default=None)
    groups = [
        (label, [Link(text, url, url == current) for text, url in items])
        for label, items in allowed
        if items
    ]
    return groups


def first_url(user) -> str | None:
    """Where this user's console starts: the first item of their menu."""
    groups = menu_for(user)
    return groups[0][1][0].url if groups else None
