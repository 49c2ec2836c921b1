"""docs/rules.md §R5.2–§R5.3: derived facts and obligations, one test per rule, on tiny real extract folders."""

from __future__ import annotations

from pathlib import Path

from screen_county import INSTRUCTORS, PARKS, PARTY, TAX, County, org, survey_file

SURVEY = survey_file("城关镇")


def test_above_scale(tmp_path: Path) -> None:
    c = County()
    rich = c.enterprise("富达有限公司", revenue=2000, employees=20)
    big = c.enterprise("大众有限公司", revenue=100, employees=100)
    small = c.enterprise("小微有限公司", revenue=1999.99, employees=99)
    unknown = c.enterprise("不详有限公司", revenue=None, tax_status="正常")
    social = c.social_org("临沭县大协会", staff=500)
    s = c.screen(tmp_path)
    assert [org(s, x)["above_scale"] for x in (rich, big, small, unknown, social)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert f"规上企业：营业收入2000万元（{TAX}第2行）≥2000万元" in org(s, rich)["reasons"]
    assert f"规上企业：从业人员100人（{SURVEY}第3行）≥100人" in org(s, big)["reasons"]


def test_single_required_and_due_unestablished(tmp_path: Path) -> None:
    c = County()
    three = c.enterprise("三名党员有限公司", members=3, employees=20, revenue=100)
    two = c.enterprise("两名党员有限公司", members=2, employees=20, revenue=100)
    unknown = c.enterprise("党员不详有限公司", employees=20, revenue=100)
    big = c.enterprise("规上无党员有限公司", members=0, employees=20, revenue=5000)
    built = c.enterprise("已建有限公司", members=4, employees=20, revenue=100)
    party_only = c.enterprise("党员来自党组织有限公司", employees=20, revenue=100)
    joint = c.enterprise("联建有限公司", members=3, employees=20, revenue=100)
    other = c.enterprise("联建伙伴有限公司", members=1, employees=20, revenue=100)
    c.party_org("中共已建有限公司支部委员会", [built], formal=4)
    party_row = c.party_org("中共党员来自党组织有限公司支部委员会", [party_only], formal=5)
    c.party_org("中共城关镇联合党支部", [joint, other], type_label="联合党支部", mode="联合组建")
    s = c.screen(tmp_path)

    assert org(s, three)["single_required"] and org(s, three)["due_unestablished"]
    assert f"应建未建：正式党员3名（{SURVEY}第2行）≥3，未单独建立党组织" in org(s, three)["reasons"]
    assert not org(s, two)["single_required"]
    assert not org(s, unknown)["single_required"]  # unknown is never ≥ 3
    assert org(s, unknown)["formal_members"] is None
    assert org(s, big)["due_unestablished"]
    assert "应单独组建：规上企业（营业收入5000万元" in org(s, big)["reasons"]
    assert org(s, built)["single_required"] and not org(s, built)["due_unestablished"]
    # formal members from the single party org when the survey does not say
    row = org(s, party_only)
    assert row["formal_members"] == 5
    assert row["formal_members_source"] == f"{PARTY}第{party_row}行"
    assert row["single_established"] and not row["due_unestablished"]
    # a joint branch does not make its units single_established
    assert org(s, joint)["org_covered"] and not org(s, joint)["single_established"]
    assert org(s, joint)["due_unestablished"]
    assert org(s, joint)["formal_members"] == 3


def test_single_established_needs_the_only_unit_of_an_active_org(tmp_path: Path) -> None:
    c = County()
    alone = c.enterprise("独建有限公司", employees=30)
    withdrawn = c.enterprise("撤销支部有限公司", employees=30)
    half_named = c.enterprise("半联建有限公司", employees=30)
    c.party_org("中共独建有限公司委员会", [alone], type_label="基层党委", formal=60, members=65)
    c.party_org("中共独建有限公司第一支部", [alone], type_label="党支部", formal=20)
    c.party_org("中共撤销支部有限公司支部", [withdrawn], status="撤销")
    # The second unit's name is unknown to every extract: still two units, not single.
    c.party_org(
        "中共城关镇第二联合党支部",
        [half_named],
        unit_names=["半联建有限公司", "查无此名商店"],
        type_label="联合党支部",
        mode="联合组建",
    )
    s = c.screen(tmp_path)
    row = org(s, alone)
    assert row["single_established"] and row["party_org_type"] == "committee"
    assert row["formal_members"] is None or row["formal_members"] == 60
    assert "已单独建立党组织：中共独建有限公司委员会（党委，" in row["reasons"]
    assert len(row["party_org_ids"]) == 2
    assert not org(s, withdrawn)["org_covered"]
    assert not org(s, withdrawn)["single_established"]
    assert org(s, half_named)["org_covered"] and not org(s, half_named)["single_established"]


def test_focus_ledgers(tmp_path: Path) -> None:
    c = County()
    fifty_none = c.enterprise("五十人无党员有限公司", employees=50, members=0, revenue=100)
    fifty_unknown = c.enterprise("五十人党员不详有限公司", employees=50, revenue=100)
    hundred_no_org = c.enterprise("百人未建有限公司", employees=100, members=2, revenue=100)
    hundred_joint = c.enterprise("百人联建有限公司", employees=120, members=2, revenue=100)
    partner = c.enterprise("联建伙伴有限公司", employees=5, members=1, revenue=10)
    social_none = c.social_org("临沭县十五人协会", employees=15, members=0)
    social_small = c.social_org("临沭县十四人协会", employees=14, members=0)
    c.party_org(
        "中共城关镇联合党支部", [hundred_joint, partner], type_label="联合党支部", mode="联合组建"
    )
    s = c.screen(tmp_path)

    assert org(s, fifty_none)["focus_50_no_member"]
    assert (
        "重点台账（职工50人以上没有党员的非公企业）：从业人员50人（"
        in org(s, fifty_none)["reasons"]
    )
    assert not org(s, fifty_unknown)["focus_50_no_member"]  # unknown is never 0
    assert org(s, hundred_no_org)["focus_100_no_org"]
    assert not org(s, hundred_joint)["focus_100_no_org"]  # any party org covers
    assert org(s, social_none)["focus_social_15_no_member"]
    assert not org(s, social_small)["focus_social_15_no_member"]
    assert not org(s, social_none)["focus_50_no_member"]


def test_parks_instructors_and_fallback(tmp_path: Path) -> None:
    c = County()
    listed = c.enterprise("园区甲有限公司", employees=5, revenue=100)
    surveyed = c.enterprise("园区乙有限公司", employees=5, revenue=100, park="临沭经济开发区")
    said_no = c.enterprise("园区外丙有限公司", employees=5, revenue=100, park="无")
    in_building = c.enterprise("楼宇丁有限公司", employees=5, revenue=100)
    covered_in_park = c.enterprise("园区戊有限公司", employees=30, revenue=100)
    guided = c.enterprise("有指导员有限公司", employees=12, revenue=100)
    unknown_staff = c.enterprise("人数不详有限公司", revenue=100)
    c.park("临沭经济开发区", [listed, covered_in_park])
    c.park("金鼎大厦", [in_building], kind="楼宇")
    c.party_org("中共园区戊有限公司支部", [covered_in_park], formal=3)
    instructor_row = c.instructor("李四", [guided])
    s = c.screen(tmp_path)

    assert org(s, listed)["in_park"] and org(s, listed)["park_uncovered"]
    assert f"列入园区名录“临沭经济开发区”（{PARKS}第2行）" in org(s, listed)["reasons"]
    assert org(s, surveyed)["in_park"]
    assert f"摸排所在园区为“临沭经济开发区”（{SURVEY}第3行）" in org(s, surveyed)["reasons"]
    assert not org(s, said_no)["in_park"]
    assert not org(s, in_building)["in_park"]
    assert org(s, covered_in_park)["in_park"] and not org(s, covered_in_park)["park_uncovered"]

    assert org(s, listed)["instructor_required"]  # in a park, though under 10 staff
    assert not org(s, said_no)["instructor_required"]
    row = org(s, guided)
    assert row["instructor_required"] and row["work_covered"] and not row["org_covered"]
    assert f"已选派党建工作指导员（{INSTRUCTORS}第{instructor_row}行）" in row["reasons"]
    assert not org(s, covered_in_park)["instructor_required"]
    assert not org(s, unknown_staff)["instructor_required"]

    assert org(s, said_no)["fallback"] and org(s, listed)["fallback"]
    assert "兜底管理（职工不足10人的小微企业）：从业人员5人（" in org(s, said_no)["reasons"]
    assert not org(s, guided)["fallback"]
    assert not org(s, unknown_staff)["fallback"]  # unknown is not < 10 either


def test_employees_by_precedence(tmp_path: Path) -> None:
    c = County()
    insured_only = c.enterprise("社保有限公司", insured=60, revenue=100)
    surveyed = c.enterprise("摸排有限公司", insured=60, employees=8, revenue=100)
    staff_only = c.social_org("临沭县民办学校", subtype="service_org", staff=40)
    s = c.screen(tmp_path)
    assert org(s, insured_only)["employees"] == 60
    assert org(s, surveyed)["employees"] == 8
    assert org(s, staff_only)["employees"] == 40


def test_shunyi_extra_single_required(tmp_path: Path) -> None:
    c = County()
    law = c.social_org("山东华信律师事务所", subtype="law_firm", staff=30)
    small_law = c.social_org("山东小信律师事务所", subtype="law_firm", staff=29)
    school = c.social_org("临沭县育才培训学校", subtype="service_org", staff=45)
    hospital = c.social_org("临沭仁和医院", subtype="service_org", staff=80)
    social_work = c.social_org("临沭县阳光社会工作服务中心", subtype="service_org", staff=31)
    other = c.social_org("临沭县养老服务中心", subtype="service_org", staff=80)
    association = c.social_org("临沭县学校后勤协会", subtype="association", staff=80)
    shunyi = c.screen(tmp_path / "shunyi", policy="shunyi-2017")
    linyi = c.screen(tmp_path / "linyi", policy="linyi-2020")
    for code in (law, school, hospital, social_work):
        assert org(shunyi, code)["single_required"], org(shunyi, code)["name"]
        assert org(shunyi, code)["due_unestablished"]
        assert not org(linyi, code)["single_required"]
    for code in (small_law, other, association):
        assert not org(shunyi, code)["single_required"], org(shunyi, code)["name"]
    assert "应单独组建：律师事务所，从业人员30人（" in org(shunyi, law)["reasons"]
    assert "民办学校，从业人员45人" in org(shunyi, school)["reasons"]


def test_reasons_explain_every_true_flag(tmp_path: Path) -> None:
    c = County()
    c.enterprise("园区大厂有限公司", employees=150, members=0, revenue=3000, park="临沭经济开发区")
    s = c.screen(tmp_path)
    row = s.orgs.row(0, named=True)
    labels = {
        "above_scale": "规上企业：",
        "in_park": "在园区：",
        "single_required": "应单独组建：",
        "due_unestablished": "应建未建：",
        "focus_50_no_member": "重点台账（职工50人以上没有党员",
        "focus_100_no_org": "重点台账（职工100人以上未建立党组织",
        "park_uncovered": "园区单位未建立党组织：",
        "instructor_required": "需选派党建工作指导员：",
    }
    for flag, label in labels.items():
        assert row[flag], flag
        assert label in row["reasons"], flag
    assert row["reasons"].count("；") == len(labels) - 1
