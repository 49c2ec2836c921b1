"""docs/rules.md §R5.4 party-organization structure and §R5.5 instructor capacity, per preset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from screen_county import PARTY, County

from liangxin.engine.screen import Screened


def finding(screened: Screened, table: str, name_column: str, name: str) -> dict[str, Any]:
    frame = getattr(screened, table)
    rows = frame.filter(frame[name_column] == name).to_dicts()
    assert len(rows) == 1, name
    return rows[0]


def party(screened: Screened, name: str) -> dict[str, Any]:
    return finding(screened, "party_orgs", "party_org_name", name)


def test_party_org_structure(tmp_path: Path) -> None:
    c = County()
    units = [c.enterprise(f"单位{i:02d}有限公司", employees=20, revenue=100) for i in range(20)]
    dead = [c.enterprise(f"注销{i}有限公司", reg_status="注销") for i in range(2)]
    c.party_org("五十一人支部", [units[0]], formal=45, probationary=6)
    c.party_org("百零一人支部", [units[1]], formal=101, probationary=0)
    c.party_org("一百二十人总支", [units[2]], type_label="党总支", formal=120)
    c.party_org("六十人联合支部", units[3:5], type_label="联合党支部", mode="联合组建", formal=60)
    c.party_org("二人支部", [units[5]], formal=2, members=2)
    c.party_org("党员不详支部", [units[6]], formal=None, probationary=None)
    c.party_org("二人联合支部", units[7:9], type_label="联合党支部", mode="联合组建", formal=2)
    c.party_org("六家联合支部", units[9:15], type_label="联合党支部", mode="联合组建", formal=9)
    c.party_org("五家联合支部", units[15:20], type_label="联合党支部", mode="联合组建", formal=9)
    shell_row = c.party_org("空壳支部", dead, type_label="联合党支部", mode="联合组建", formal=3)
    c.party_org("无党员支部", [units[0]], formal=0, probationary=0)
    c.party_org("已撤销支部", dead[:1], formal=0, status="撤销")
    linyi = c.screen(tmp_path / "linyi")
    shunyi = c.screen(tmp_path / "shunyi", policy="shunyi-2017")

    row = party(linyi, "五十一人支部")
    assert row["oversize_branch"] and row["suggested_type"] == "general_branch"
    assert row["members_total"] == 51
    assert row["reasons"].startswith("超大支部：党员51名，超过50名，应成立党总支")
    row = party(linyi, "百零一人支部")
    assert row["suggested_type"] == "committee" and "应成立党委" in row["reasons"]
    assert not party(linyi, "一百二十人总支")["oversize_branch"]
    assert party(linyi, "六十人联合支部")["oversize_branch"]

    assert party(linyi, "二人支部")["undersize_single"]
    assert "正式党员2名，不足3名" in party(linyi, "二人支部")["reasons"]
    assert not party(linyi, "党员不详支部")["undersize_single"]  # unknown is not < 3
    assert not party(linyi, "二人联合支部")["undersize_single"]

    assert party(linyi, "六家联合支部")["joint_too_wide"]
    assert "联合党支部覆盖单位过多：6家，超过5家" in party(linyi, "六家联合支部")["reasons"]
    assert not party(linyi, "五家联合支部")["joint_too_wide"]
    assert not party(shunyi, "六家联合支部")["joint_too_wide"]  # shunyi allows 15

    row = party(linyi, "空壳支部")
    assert row["shell"] and row["units_in_scope"] == 0
    assert "空壳支部：所在单位均不纳入统计：注销0有限公司（已注销/吊销/迁出）" in row["reasons"]
    assert row["reasons"].endswith(f"（来源：{PARTY}第{shell_row}行）")
    assert party(linyi, "无党员支部")["shell"]
    assert not party(linyi, "五家联合支部")["shell"]
    withdrawn = party(linyi, "已撤销支部")
    assert not withdrawn["active"] and not withdrawn["shell"] and withdrawn["reasons"] is None


def test_instructor_capacity(tmp_path: Path) -> None:
    c = County()
    built = [c.enterprise(f"已建{i}有限公司", employees=20, revenue=100) for i in range(6)]
    bare = [c.enterprise(f"未建{i}有限公司", employees=20, revenue=100) for i in range(11)]
    dead = [c.enterprise(f"注销{i}有限公司", reg_status="注销") for i in range(3)]
    for i, code in enumerate(built):
        c.party_org(f"中共已建{i}有限公司支部", [code])
    c.instructor("甲", built)  # 6 with a party org
    c.instructor("乙", built[:5] + bare[:3])  # 5 + 3: at the limits
    c.instructor("丙", bare[:4])  # 4 without
    c.instructor("丁", bare[:3] + dead)  # deregistered orgs are no work
    c.instructor("戊", bare, full_time="专职")  # 11, but 专职
    c.instructor("己", bare)  # 11, 兼职
    linyi = c.screen(tmp_path / "linyi")
    shunyi = c.screen(tmp_path / "shunyi", policy="shunyi-2017")
    national = c.screen(tmp_path / "national", policy="national")

    def over(screened: Screened, name: str) -> bool:
        return finding(screened, "instructors", "name", name)["over_capacity"]

    assert [over(linyi, n) for n in "甲乙丙丁戊己"] == [True, False, True, False, True, True]
    jia = finding(linyi, "instructors", "name", "甲")
    assert (jia["orgs_guided"], jia["orgs_with_party_org"], jia["orgs_without_party_org"]) == (
        6,
        6,
        0,
    )
    assert jia["reasons"].startswith("超出指导能力：指导有党组织的单位6家，超过5家")
    assert finding(linyi, "instructors", "name", "丁")["orgs_guided"] == 3
    assert [over(shunyi, n) for n in "甲乙丙丁戊己"] == [False, False, False, False, False, True]
    assert (
        "兼职指导员指导单位11家，超过10家"
        in finding(shunyi, "instructors", "name", "己")["reasons"]
    )
    assert not any(over(national, n) for n in "甲乙丙丁戊己")
