"""Read and validate a policy file; every problem is a PolicyError naming the file and the key."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from typing import Any

from liangxin.engine.policies.model import (
    CAPACITY_INSTRUCTORS,
    CAPACITY_ORGS,
    KINDS,
    SUBTYPES,
    TASK_SUBJECTS,
    Calendar,
    CalendarTask,
    CapacityLimit,
    ExtraCategory,
    ExtraSingleRequired,
    PartyOrgLimits,
    Policy,
    PolicyError,
    Target,
    Thresholds,
)

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class _Table:
    """A TOML table being read: typed access by key, and a check that no key is left unread."""

    def __init__(self, file: str, path: str, data: dict[str, Any]) -> None:
        self._file, self._path, self._data = file, path, data
        self._read: set[str] = set()

    def error(self, key: str, problem: str) -> PolicyError:
        return PolicyError(f"策略文件 {self._file}：{self._key(key)} {problem}")

    def _key(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key

    def _get(self, key: str, required: bool = True) -> Any:
        self._read.add(key)
        if key not in self._data:
            if required:
                raise PolicyError(f"策略文件 {self._file}：缺少 {self._key(key)}")
            return None
        return self._data[key]

    def _typed(self, key: str, ok: Callable[[Any], bool], expected: str, required: bool) -> Any:
        value = self._get(key, required)
        if value is not None and not ok(value):
            raise self.error(key, f"应为{expected}")
        return value

    def text(self, key: str) -> str:
        value = self._typed(key, lambda v: isinstance(v, str) and v.strip() != "", "文本", True)
        return value.strip()

    def integer(self, key: str, minimum: int = 0, required: bool = True) -> int | None:
        value = self._typed(key, _is_integer, "整数", required)
        if value is not None and value < minimum:
            raise self.error(key, f"应为不小于{minimum}的整数")
        return value

    def number(self, key: str) -> float:
        value = self._typed(key, _is_number, "数字", True)
        if value < 0:
            raise self.error(key, "应为不小于0的数字")
        return float(value)

    def rate(self, key: str) -> float:
        value = self._typed(key, _is_number, "数字", True)
        if not 0 < value <= 1:
            raise self.error(key, "应为大于0、不大于1的比例（如 0.9 表示90%）")
        return float(value)

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in choices:
            raise self.error(key, f"应为 {'、'.join(choices)} 之一")
        return value

    def pattern(self, key: str) -> str | None:
        value = self._typed(key, lambda v: isinstance(v, str) and v != "", "文本", False)
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise self.error(key, f"不是有效的正则表达式（{exc}）") from exc
        return value

    def table(self, key: str, required: bool = True) -> _Table | None:
        value = self._typed(key, lambda v: isinstance(v, dict), "表", required)
        return None if value is None else _Table(self._file, self._key(key), value)

    def tables(self, key: str) -> list[_Table]:
        """An array of tables; may be empty."""
        value = self._typed(key, lambda v: isinstance(v, list), "列表", True)
        if not all(isinstance(item, dict) for item in value):
            raise self.error(key, "的每一项应为表")
        return [
            _Table(self._file, f"{self._key(key)}[{i + 1}]", item) for i, item in enumerate(value)
        ]

    def has(self, key: str) -> bool:
        return key in self._data

    def done(self) -> None:
        unknown = [key for key in self._data if key not in self._read]
        if unknown:
            raise PolicyError(f"策略文件 {self._file}：未知的键 {self._key(unknown[0])}")


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_policy(text: str, file: str) -> Policy:
    """The policy in TOML ``text``; ``file`` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        position = _TOML_POSITION.search(str(exc))
        where = f"（第{position[1]}行第{position[2]}列）" if position else ""
        raise PolicyError(f"策略文件 {file}：不是有效的 TOML 格式{where}") from exc
    root = _Table(file, "", data)
    policy = Policy(
        name=root.text("name"),
        version=root.integer("version", minimum=1),
        title=root.text("title"),
        source=root.text("source"),
        thresholds=_thresholds(root.table("thresholds")),
        party_org=_party_org(root.table("party_org")),
        instructor_capacity=tuple(_capacity(t) for t in root.tables("instructor_capacity")),
        single_required_extra=_extra(root.table("single_required_extra", required=False)),
        targets=_targets(root.table("targets", required=False)),
        calendar=_calendar(root.table("calendar")),
    )
    root.done()
    return policy


def _thresholds(table: _Table) -> Thresholds:
    thresholds = Thresholds(
        above_scale_revenue_wan=table.number("above_scale_revenue_wan"),
        above_scale_employees=table.integer("above_scale_employees"),
        single_required_formal_members=table.integer("single_required_formal_members", 1),
        focus_enterprise_no_member_employees=table.integer("focus_enterprise_no_member_employees"),
        focus_enterprise_no_org_employees=table.integer("focus_enterprise_no_org_employees"),
        focus_social_no_member_employees=table.integer("focus_social_no_member_employees"),
        instructor_required_employees=table.integer("instructor_required_employees"),
        fallback_employees_below=table.integer("fallback_employees_below", 1),
    )
    table.done()
    return thresholds


def _party_org(table: _Table) -> PartyOrgLimits:
    limits = PartyOrgLimits(
        general_branch_members_above=table.integer("general_branch_members_above", 1),
        committee_members_above=table.integer("committee_members_above", 1),
        undersize_formal_members_below=table.integer("undersize_formal_members_below", 1),
        joint_branch_max_units=table.integer("joint_branch_max_units", 2),
    )
    if limits.committee_members_above <= limits.general_branch_members_above:
        raise table.error("committee_members_above", "应大于 general_branch_members_above")
    table.done()
    return limits


def _capacity(table: _Table) -> CapacityLimit:
    limit = CapacityLimit(
        orgs=table.choice("orgs", CAPACITY_ORGS),
        max_orgs=table.integer("max_orgs", 1),
        instructors=table.choice("instructors", CAPACITY_INSTRUCTORS),
    )
    table.done()
    return limit


def _extra(table: _Table | None) -> ExtraSingleRequired | None:
    if table is None:
        return None
    categories = []
    for item in table.tables("categories"):
        categories.append(
            ExtraCategory(
                label=item.text("label"),
                subtype=item.choice("subtype", SUBTYPES),
                name_pattern=item.pattern("name_pattern"),
            )
        )
        item.done()
    extra = ExtraSingleRequired(table.integer("min_employees"), tuple(categories))
    table.done()
    return extra


def _targets(table: _Table | None) -> tuple[Target, ...]:
    if table is None:
        return ()
    targets = []
    for kind in KINDS:
        if table.has(kind):
            targets.append(Target(kind, table.rate(kind)))
    table.done()
    return tuple(targets)


def _calendar(table: _Table) -> Calendar:
    year = table.integer("year", minimum=1949, required=False)
    tasks = tuple(_task(t) for t in table.tables("tasks"))
    seen: set[str] = set()
    for i, task in enumerate(tasks):
        if task.kind in seen:
            raise table.error(f"tasks[{i + 1}].kind", f"重复：“{task.kind}”已在前面出现")
        seen.add(task.kind)
    table.done()
    return Calendar(year, tasks)


def _task(table: _Table) -> CalendarTask:
    deadline = table.text("deadline")
    match = _MONTH_DAY.match(deadline)
    if not match or not _valid_month_day(int(match[1]), int(match[2])):
        raise table.error("deadline", '应为“月-日”格式的日期，如 "06-15"')
    task = CalendarTask(
        kind=table.text("kind"),
        label=table.text("label"),
        subject=table.choice("subject", TASK_SUBJECTS),
        month=int(match[1]),
        day=int(match[2]),
    )
    table.done()
    return task


def _valid_month_day(month: int, day: int) -> bool:
    """A day that exists in every year (so not 02-29)."""
    days = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return 1 <= month <= 12 and 1 <= day <= days[month - 1]
