"""docs/rules.md §R5.1: who is in scope, the first exclusion that applies, and its explanation."""

from __future__ import annotations

from pathlib import Path

from screen_county import REGISTRY, SOCIAL, TAX, County, credit_code, org, survey_file

from liangxin.engine.screen import FLAGS


def test_each_exclusion_with_its_source(tmp_path: Path) -> None:
    c = County()
    active = c.enterprise("华泰商贸有限公司", revenue=300, employees=12)
    cancelled = c.enterprise("宏达机械有限公司", reg_status="注销", employees=40, members=5)
    revoked = c.enterprise("天元食品有限公司", reg_status="吊销，未注销")
    moved_away = c.enterprise("金源物流有限公司", reg_status="迁出")
    state = c.enterprise("临沭县化肥厂", legal_form="全民所有制")
    collective = c.enterprise("城关建筑队", legal_form="集体所有制")
    branch = c.enterprise(
        "华泰商贸有限公司城关分公司", legal_form="有限责任公司分公司(自然人投资或控股)"
    )
    branch_by_name = c.enterprise(
        "鲁南水泥有限公司临沭分公司", legal_form="有限责任公司(自然人投资或控股)"
    )
    individual = c.enterprise("老王烧烤店", legal_form="个体工商户", code=credit_code("92", 901))
    stopped = c.enterprise("宏昌纺织有限公司", operating="停产", employees=30)
    tax_stopped = c.enterprise("宏昌印染有限公司", tax_status="停业", revenue=50)
    gone = c.enterprise("飞达电子有限公司", operating="已搬离")
    not_found = c.enterprise("飞腾电子有限公司", operating="查无此单位")
    no_premises = c.enterprise("飞翔电子有限公司", premises=False, employees=3)
    nobody = c.enterprise("空壳贸易有限公司", employees=0)
    no_business = c.enterprise("静默贸易有限公司", tax_status="非正常", employees=5)
    not_in_tax = c.enterprise("无税贸易有限公司", tax_status=None, employees=5)
    s = c.screen(tmp_path)

    expected = {
        active: None,
        cancelled: "已注销/吊销/迁出",
        revoked: "已注销/吊销/迁出",
        moved_away: "已注销/吊销/迁出",
        state: "公有制企业",
        collective: "公有制企业",
        branch: "非法人分支机构",
        branch_by_name: "非法人分支机构",
        individual: "非法人分支机构",
        stopped: "停产/歇业/破产",
        tax_stopped: "停产/歇业/破产",
        gone: "核实不符合条件",
        not_found: "核实不符合条件",
        no_premises: "核实不符合条件",
        nobody: "无从业人员",
        no_business: "无经营纳税",
        not_in_tax: "无经营纳税",
    }
    for code, reason in expected.items():
        row = org(s, code)
        assert row["exclusion_reason"] == reason, row["name"]
        assert row["in_scope"] is (reason is None)

    assert org(s, cancelled)["reasons"].startswith(
        f"不纳入统计（已注销/吊销/迁出）：登记状态为“注销”（{REGISTRY}第3行）"
    )
    assert f"摸排经营状况为“停产”（{survey_file('城关镇')}第" in org(s, stopped)["reasons"]
    assert f"纳税人状态为“停业”（{TAX}第" in org(s, tax_stopped)["reasons"]
    assert "统一社会信用代码" in org(s, individual)["reasons"]
    assert "摸排无固定场所（" in org(s, no_premises)["reasons"]
    assert "从业人员0人（" in org(s, nobody)["reasons"]
    assert org(s, not_in_tax)["reasons"].startswith(
        "不纳入统计（无经营纳税）：无营业收入数据，且不在税务名录中"
    )


def test_first_exclusion_wins(tmp_path: Path) -> None:
    c = County()
    both = c.enterprise(
        "宏达机械有限公司城关分公司",
        reg_status="注销",
        legal_form="有限责任公司分公司(自然人投资或控股)",
        operating="破产",
        employees=0,
    )
    stopped_and_empty = c.enterprise("停产空壳有限公司", operating="歇业", employees=0)
    s = c.screen(tmp_path)
    assert org(s, both)["exclusion_reason"] == "已注销/吊销/迁出"
    assert org(s, stopped_and_empty)["exclusion_reason"] == "停产/歇业/破产"


def test_unknown_is_not_a_reason_to_exclude(tmp_path: Path) -> None:
    c = County()
    # No survey, no insurance: employees unknown, not 0; revenue unknown but a normal taxpayer.
    unknown_staff = c.enterprise("未摸排商贸有限公司", revenue=None, tax_status="正常")
    # Revenue from the survey alone keeps an enterprise missing from the tax extract in scope.
    survey_revenue = c.enterprise(
        "小微商贸有限公司", tax_status=None, survey_revenue=80, employees=4
    )
    # Social organizations need no tax record.
    social = c.social_org("临沭县书法家协会", staff=6)
    registered_normal = c.enterprise("存续商贸有限公司", reg_status="存续（在营、开业、在册）")
    s = c.screen(tmp_path)
    for code in (unknown_staff, survey_revenue, social, registered_normal):
        row = org(s, code)
        assert row["in_scope"] and row["exclusion_reason"] is None, row["name"]
    assert org(s, unknown_staff)["employees"] is None


def test_social_org_deregistration(tmp_path: Path) -> None:
    c = County()
    withdrawn = c.social_org("临沭县已撤协会", reg_status="撤销", staff=20)
    s = c.screen(tmp_path)
    row = org(s, withdrawn)
    assert row["exclusion_reason"] == "已注销/吊销/迁出"
    assert f"登记状态为“撤销”（{SOCIAL}第2行）" in row["reasons"]


def test_obligations_are_false_out_of_scope(tmp_path: Path) -> None:
    c = County()
    big = c.enterprise(
        "注销大厂有限公司", reg_status="注销", revenue=9000, employees=300, members=0, park="开发区"
    )
    s = c.screen(tmp_path)
    row = org(s, big)
    assert not row["in_scope"]
    assert row["above_scale"] and row["in_park"]  # facts stay true …
    obligations = [f for f in FLAGS if f not in FACTS]
    assert not any(row[f] for f in obligations)  # … obligations do not


FACTS = {"above_scale", "in_park", "single_established", "org_covered", "work_covered"}
