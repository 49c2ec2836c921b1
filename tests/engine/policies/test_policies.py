"""Policies as data: the presets, user copies, and the messages for a broken file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from liangxin.engine.policies import (
    DEFAULT_POLICY,
    PRESETS,
    PolicyError,
    copy_policy,
    load_policy,
    policy_text,
)


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_and_names_itself(name: str) -> None:
    policy = load_policy(name)
    assert policy.name == name
    assert policy.version >= 1
    assert policy.title and policy.source
    assert policy.calendar.tasks
    assert policy.thresholds.single_required_formal_members == 3


def test_default_is_linyi() -> None:
    assert DEFAULT_POLICY == "linyi-2020"
    assert load_policy() == load_policy("linyi-2020")


def test_linyi_numbers_are_the_seed_numbers() -> None:
    p = load_policy("linyi-2020")
    t = p.thresholds
    assert (t.above_scale_revenue_wan, t.above_scale_employees) == (2000, 100)
    assert (
        t.focus_enterprise_no_member_employees,
        t.focus_enterprise_no_org_employees,
        t.focus_social_no_member_employees,
    ) == (50, 100, 15)
    assert (t.instructor_required_employees, t.fallback_employees_below) == (10, 10)
    limits = p.party_org
    assert (limits.general_branch_members_above, limits.committee_members_above) == (50, 100)
    assert (limits.undersize_formal_members_below, limits.joint_branch_max_units) == (3, 5)
    capacity = {(c.orgs, c.instructors): c.max_orgs for c in p.instructor_capacity}
    assert capacity == {("with_party_org", "all"): 5, ("without_party_org", "all"): 3}
    assert p.single_required_extra is None
    deadlines = {
        t.subject: t.deadline(p.calendar.year_for(date(2026, 1, 1))) for t in p.calendar.tasks
    }
    assert deadlines == {
        "park_uncovered": date(2020, 6, 15),
        "county": date(2020, 6, 19),
        "instructor_needed": date(2020, 6, 30),
        "due_above_scale": date(2020, 8, 31),
        "due_other": date(2020, 11, 30),
        "parks": date(2020, 11, 30),
    }


def test_shunyi_differences() -> None:
    p = load_policy("shunyi-2017")
    assert p.party_org.joint_branch_max_units == 15
    assert [(c.orgs, c.max_orgs, c.instructors) for c in p.instructor_capacity] == [
        ("all", 10, "兼职")
    ]
    assert {t.kind: t.org_coverage_rate for t in p.targets} == {
        "enterprise": 0.9,
        "social_org": 0.7,
    }
    extra = p.single_required_extra
    assert extra is not None and extra.min_employees == 30
    labels = {c.label: (c.subtype, c.name_pattern) for c in extra.categories}
    assert labels["律师事务所"] == ("law_firm", None)
    assert labels["会计师事务所"] == ("accounting_firm", None)
    assert set(labels) == {"律师事务所", "会计师事务所", "社工事务所", "民办学校", "民办医院"}
    assert p.calendar.year == 2017


def test_national_has_no_campaign_year_and_no_instructor_limit() -> None:
    p = load_policy("national")
    assert p.party_org.joint_branch_max_units == 5
    assert p.instructor_capacity == ()
    assert p.calendar.year is None
    assert p.calendar.year_for(date(2023, 5, 1)) == 2023


def test_copy_round_trip(tmp_path: Path) -> None:
    for name in PRESETS:
        copied = copy_policy(name, tmp_path)
        assert copied == tmp_path / f"{name}.toml"
        assert copied.read_text(encoding="utf-8") == policy_text(name)
        assert load_policy(copied) == load_policy(name)
        assert load_policy(str(copied)) == load_policy(name)


def test_copy_to_file_and_never_overwrite(tmp_path: Path) -> None:
    target = copy_policy("shunyi-2017", tmp_path / "我的口径.toml")
    assert target.name == "我的口径.toml"
    with pytest.raises(PolicyError, match="文件已存在"):
        copy_policy("linyi-2020", target)


def test_edited_copy_is_used(tmp_path: Path) -> None:
    path = copy_policy("linyi-2020", tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "joint_branch_max_units = 5", "joint_branch_max_units = 8"
    )
    path.write_text(text, encoding="utf-8")
    assert load_policy(path).party_org.joint_branch_max_units == 8


def test_unknown_names() -> None:
    with pytest.raises(PolicyError, match="找不到策略“beijing”"):
        load_policy("beijing")
    with pytest.raises(PolicyError, match="没有名为“beijing”的预置策略"):
        policy_text("beijing")


def _broken(tmp_path: Path, old: str, new: str, preset: str = "linyi-2020") -> Path:
    text = policy_text(preset)
    assert old in text
    path = tmp_path / "x.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


BROKEN = [
    ("above_scale_revenue_wan = 2000\n", "", "缺少 thresholds.above_scale_revenue_wan"),
    (
        "above_scale_revenue_wan = 2000",
        'above_scale_revenue_wan = "两千"',
        "thresholds.above_scale_revenue_wan 应为数字",
    ),
    ("above_scale_revenue_wan = 2000", "above_scale_revenue_wan = -1", "应为不小于0的数字"),
    (
        "above_scale_employees = 100",
        "above_scale_employees = 99.5",
        "thresholds.above_scale_employees 应为整数",
    ),
    (
        "above_scale_employees = 100",
        "above_scale_employees = true",
        "thresholds.above_scale_employees 应为整数",
    ),
    ("version = 1", 'version = "一"', "version 应为整数"),
    ("version = 1", "version = 0", "version 应为不小于1的整数"),
    ('name = "linyi-2020"\n', "", "缺少 name"),
    ('title = "', 'titel = "', "缺少 title"),
    (
        "[thresholds]",
        "[thresholds]\nabove_scale_revenue = 1",
        "未知的键 thresholds.above_scale_revenue",
    ),
    ("[party_org]\n", "", "未知的键 thresholds.general_branch_members_above"),
    (
        "committee_members_above = 100",
        "committee_members_above = 40",
        "party_org.committee_members_above 应大于",
    ),
    (
        'orgs = "with_party_org"',
        'orgs = "with_org"',
        "instructor_capacity[1].orgs 应为 with_party_org、without_party_org、all 之一",
    ),
    (
        'instructors = "all"',
        'instructors = "part"',
        "instructor_capacity[1].instructors 应为 all、专职、兼职 之一",
    ),
    (
        'deadline = "06-15"',
        'deadline = "6月15日"',
        "calendar.tasks[1].deadline 应为“月-日”格式的日期",
    ),
    (
        'deadline = "06-15"',
        'deadline = "02-30"',
        "calendar.tasks[1].deadline 应为“月-日”格式的日期",
    ),
    ('deadline = "06-15"', "deadline = 2020-06-15", "calendar.tasks[1].deadline 应为文本"),
    ('subject = "county"', 'subject = "town"', "calendar.tasks[2].subject 应为 county、"),
    ('kind = "ledger_report"', 'kind = "park_cover"', "calendar.tasks[2].kind 重复"),
    ("year = 2020", "year = 20", "calendar.year 应为不小于1949的整数"),
    ("name = ", "name = = ", "不是有效的 TOML 格式（第5行"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_broken_file_names_the_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(PolicyError) as error:
        load_policy(_broken(tmp_path, old, new))
    assert str(error.value).startswith("策略文件 x.toml：")
    assert message in str(error.value)


SHUNYI_BROKEN = [
    (
        'subtype = "law_firm"',
        'subtype = "lawyer"',
        "single_required_extra.categories[1].subtype 应为",
    ),
    (
        'name_pattern = "医院"',
        'name_pattern = "医院("',
        "categories[5].name_pattern 不是有效的正则表达式",
    ),
    ("enterprise = 0.9", "enterprise = 90", "targets.enterprise 应为大于0、不大于1的比例"),
    ("social_org = 0.7", "social = 0.7", "未知的键 targets.social"),
    ("min_employees = 30\n", "", "缺少 single_required_extra.min_employees"),
]


@pytest.mark.parametrize(("old", "new", "message"), SHUNYI_BROKEN)
def test_broken_shunyi_sections(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(PolicyError, match="策略文件 x.toml：") as error:
        load_policy(_broken(tmp_path, old, new, "shunyi-2017"))
    assert message in str(error.value)


NATIONAL_BROKEN = [
    ("instructor_capacity = []", "instructor_capacity = 3", "instructor_capacity 应为列表"),
    ("instructor_capacity = []", "instructor_capacity = [1]", "instructor_capacity 的每一项应为表"),
    ("[thresholds]", "thresholds = 5\n[old]", "thresholds 应为表"),
]


@pytest.mark.parametrize(("old", "new", "message"), NATIONAL_BROKEN)
def test_broken_national_sections(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(PolicyError, match="策略文件 x.toml：") as error:
        load_policy(_broken(tmp_path, old, new, "national"))
    assert message in str(error.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes(policy_text("linyi-2020").encode("gbk"))
    with pytest.raises(PolicyError, match="应为 UTF-8 编码"):
        load_policy(path)
