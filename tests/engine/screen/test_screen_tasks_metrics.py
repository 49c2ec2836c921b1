"""docs/rules.md §R5.6 tasks and deadlines, §R6 metrics, and the seed-003 town (临浦镇)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
from screen_county import AS_OF, County

from liangxin.engine.build import build
from liangxin.engine.policies import load_policy
from liangxin.engine.screen import dump_metrics, metrics

METRIC_KEYS = {
    "total",
    "excluded",
    "single_established",
    "joint_covered",
    "org_covered",
    "org_coverage_rate",
    "work_covered",
    "work_coverage_rate",
    "with_members",
    "due",
    "due_established",
    "formation_rate",
    "due_unestablished",
    "above_scale",
    "above_scale_single",
    "park_total",
    "park_org_covered",
    "focus_50_no_member",
    "focus_100_no_org",
    "focus_social_15_no_member",
    "overdue_tasks",
}


def _campaign_county() -> tuple[County, dict[str, str]]:
    c = County()
    codes = {
        "big": c.enterprise("规上未建有限公司", revenue=5000, employees=40, members=3),
        "small": c.enterprise("党员三名有限公司", revenue=100, employees=20, members=3),
        "park": c.enterprise("园区小微有限公司", revenue=100, employees=4, members=0),
        "built": c.enterprise("园区已建有限公司", revenue=100, employees=30, members=3),
        "guided": c.enterprise("已有指导员有限公司", revenue=100, employees=15, members=0),
        "dead": c.enterprise("注销有限公司", reg_status="注销", employees=40, members=5),
        "social": c.social_org("临浦镇商会", town="临浦镇", staff=20, members=0, employees=20),
    }
    c.park("临沭经济开发区", [codes["park"], codes["built"]])
    c.park("全覆盖工业园", [codes["built"]])
    c.party_org("中共园区已建有限公司支部", [codes["built"]])
    c.instructor("王五", [codes["guided"]])
    return c, codes


def test_tasks_and_deadlines(tmp_path: Path) -> None:
    c, codes = _campaign_county()
    s = c.screen(tmp_path, as_of=date(2020, 8, 31))
    tasks = {(t["task_kind"], t["subject_id"]): t for t in s.tasks.to_dicts()}
    parks = {p["name"]: p for p in s.tasks.filter(s.tasks["subject"] == "park").to_dicts()}
    assert set(tasks) == {
        ("park_cover", codes["park"]),
        ("ledger_report", None),
        ("instructor_assign", codes["park"]),
        ("instructor_assign", codes["social"]),
        ("instructor_assign", codes["big"]),
        ("instructor_assign", codes["small"]),
        ("above_scale_single", codes["big"]),
        ("other_single", codes["small"]),
        ("park_full_coverage", parks["临沭经济开发区"]["subject_id"]),
    }
    assert set(parks) == {"临沭经济开发区"}  # 全覆盖工业园 is at 100 %
    above = tasks[("above_scale_single", codes["big"])]
    assert above["deadline"] == date(2020, 8, 31) and not above["overdue"]  # due today
    assert above["status"] == "open" and above["reason"].startswith("应建未建：")
    assert tasks[("park_cover", codes["park"])]["overdue"]
    assert tasks[("instructor_assign", codes["park"])]["reason"].startswith("需选派党建工作指导员")
    assert not tasks[("other_single", codes["small"])]["overdue"]
    assert parks["临沭经济开发区"]["reason"].startswith(
        "园区纳入统计单位2家，党组织覆盖1家、工作覆盖1家，未达100%"
    )
    assert tasks[("ledger_report", None)]["task_id"] == "ledger_report"
    assert tasks[("park_cover", codes["park"])]["task_id"] == f"park_cover:{codes['park']}"


def test_calendar_year(tmp_path: Path) -> None:
    c, _ = _campaign_county()
    national = c.screen(tmp_path / "n", policy="national", as_of=date(2023, 3, 1))
    assert set(national["deadline"] for national in national.tasks.to_dicts()) == {
        date(2023, 12, 31)
    }
    assert not national.tasks["overdue"].any()
    shunyi = c.screen(tmp_path / "s", policy="shunyi-2017", as_of=date(2017, 12, 1))
    overdue = shunyi.tasks.filter(shunyi.tasks["overdue"])["task_kind"].to_list()
    assert sorted(overdue) == ["ledger_update_june", "ledger_update_november"]


def test_metrics_shape_and_counts(tmp_path: Path) -> None:
    c, _ = _campaign_county()
    s = c.screen(tmp_path, as_of=date(2020, 7, 1))
    m = metrics(s)
    assert m["as_of"] == "2020-07-01" and m["policy"] == "linyi-2020"
    assert set(m["towns"]) == {"城关镇", "临浦镇"}
    for group in [m["total"], *m["towns"].values()]:
        assert set(group) == {"enterprise", "social_org", "all"}
        for values in group.values():
            assert set(values) == METRIC_KEYS
            assert set(values["single_established"]) == {"count", "by_type"}
            assert set(values["single_established"]["by_type"]) == {"党委", "党总支", "党支部"}
    e = m["total"]["enterprise"]
    assert (e["total"], e["excluded"]) == (5, 1)
    assert e["single_established"] == {"count": 1, "by_type": {"党委": 0, "党总支": 0, "党支部": 1}}
    assert e["org_coverage_rate"] == {
        "numerator": 1,
        "denominator": 5,
        "rate": 0.2,
        "percent": "20.0%",
    }
    assert e["work_coverage_rate"] == {
        "numerator": 2,
        "denominator": 5,
        "rate": 0.4,
        "percent": "40.0%",
    }
    assert (e["due"], e["due_established"], e["due_unestablished"]) == (3, 1, 2)
    assert e["formation_rate"]["percent"] == "33.3%"
    assert (e["above_scale"], e["above_scale_single"]) == (1, 0)
    assert (e["park_total"], e["park_org_covered"]) == (2, 1)
    assert e["with_members"] == 3
    # overdue on 07-01: park_cover (06-15) of the park org, instructor_assign (06-30) of three
    assert e["overdue_tasks"] == 4
    social = m["towns"]["临浦镇"]["social_org"]
    assert (social["total"], social["focus_social_15_no_member"], social["overdue_tasks"]) == (
        1,
        1,
        1,
    )
    assert social["formation_rate"] == {
        "numerator": 0,
        "denominator": 0,
        "rate": None,
        "percent": None,
    }
    assert m["towns"]["临浦镇"]["enterprise"]["total"] == 0
    # the county's own task counts in the county total only
    assert m["total"]["all"]["overdue_tasks"] == 4 + 1 + 1
    town_sum = sum(t["all"]["overdue_tasks"] for t in m["towns"].values())
    assert town_sum == m["total"]["all"]["overdue_tasks"] - 1
    for key in ("total", "excluded", "org_covered", "due"):
        assert m["total"]["all"][key] == e[key] + m["total"]["social_org"][key]


def test_metrics_are_byte_identical_across_builds(tmp_path: Path) -> None:
    c, _ = _campaign_county()
    first = dump_metrics(metrics(c.screen(tmp_path / "a")))
    second = dump_metrics(metrics(c.screen(tmp_path / "b")))
    assert first == second
    assert first.index('"as_of"') < first.index('"policy"') < first.index('"total"')


def _linpu_county() -> County:
    """临浦镇 (seed 003): 587 两新组织; 48 single party orgs — 2 党委, 2 党总支, 44 党支部 — and
    28 joint branches; the 225 with 30+ staff or party members are all covered."""
    c = County()
    town = "临浦镇"

    def company(i: int, **survey: object) -> str:
        return c.enterprise(f"临浦{i:03d}有限公司", town=town, revenue=300, **survey)

    types = ["党委", "基层党委", "党总支", "总支部"] + ["党支部", "支部"] * 22
    for i, type_label in enumerate(types):
        members = 120 if "委" in type_label else 60 if "总支" in type_label else 3 + i % 20
        code = company(i, employees=30 + i, members=members)
        c.party_org(
            f"中共临浦{i:03d}有限公司{type_label}", [code], type_label=type_label, formal=members
        )
    n = len(types)
    for branch in range(28):
        units = [company(n + 4 * branch + k, employees=12, members=1) for k in range(4)]
        c.party_org(
            f"中共临浦镇第{branch + 1}联合党支部",
            units,
            type_label="联合党支部",
            mode="区域联建",
            formal=4,
        )
    n += 28 * 4
    guided = [company(n + k, employees=35, members=0) for k in range(65)]
    for k in range(0, 65, 3):
        c.instructor(f"指导员{k:02d}", guided[k : k + 3])
    n += 65
    for k in range(587 - n):
        company(n + k, employees=5 + k % 20, members=0)
    c.enterprise("城关一号有限公司", town="城关镇", revenue=300, employees=8, members=0)
    return c


def test_seed_003_linpu_town(tmp_path: Path) -> None:
    town = "临浦镇"
    s = _linpu_county().screen(tmp_path)

    linpu = metrics(s)["towns"][town]["all"]
    assert linpu["total"] == 587
    assert linpu["single_established"] == {
        "count": 48,
        "by_type": {"党委": 2, "党总支": 2, "党支部": 44},
    }
    assert linpu["joint_covered"] == 28 * 4
    assert linpu["org_covered"] == 48 + 112
    assert linpu["work_covered"] == 225
    assert linpu["org_coverage_rate"] == {
        "numerator": 160,
        "denominator": 587,
        "rate": 160 / 587,
        "percent": "27.3%",
    }
    wanted = s.orgs.filter(
        (s.orgs["town"] == town) & ((s.orgs["employees"] >= 30) | (s.orgs["formal_members"] >= 1))
    )
    assert wanted.height == 225 and wanted["work_covered"].all()
    joint = s.party_orgs.filter(s.party_orgs["type"] == "joint_branch")
    assert joint.height == 28 and not joint["joint_too_wide"].any()
    assert metrics(s)["towns"]["城关镇"]["all"]["total"] == 1


def test_seed_003_linpu_ledger_and_statistics(tmp_path: Path) -> None:
    """The same town through `build`: the ledger and the 党内统计 table count exactly that."""
    folder = _linpu_county().write(tmp_path / "in")
    build(folder, tmp_path / "out", load_policy("linyi-2020"), AS_OF)
    book = openpyxl.load_workbook(tmp_path / "out" / "台账.xlsx", read_only=True)
    sheet = book["非公企业台账"]
    groups, headers = sheet.iter_rows(min_row=2, max_row=3, values_only=True)
    headers = [h or g for g, h in zip(groups, headers, strict=True)]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[headers.index("镇街")]]
    linpu = [r for r in rows if r[headers.index("镇街")] == "临浦镇"]
    assert len(linpu) == 587
    types = Counter(r[headers.index("党组织类别")] for r in linpu)
    # 112 companies show the joint branch that covers them.
    assert types == {"党委": 2, "党总支": 2, "党支部": 44, "联合党支部": 112, None: 427}
    statistics = openpyxl.load_workbook(tmp_path / "out" / "metrics.xlsx", read_only=True)
    table = {r[0]: r for r in statistics["非公有制企业"].iter_rows(min_row=4, values_only=True)}
    town, units, committee, general, branch, joint, *_ = table["临浦镇"]
    assert (units, committee, general, branch, joint) == (587, 2, 2, 44, 112)
