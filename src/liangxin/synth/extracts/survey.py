"""镇街 摸排表: half of the 镇街 send a file of their own (two-row header, the 镇街 column
sometimes left out — the file name tells), the rest are sheets of one combined workbook."""

from __future__ import annotations

import random

from liangxin.synth.extracts.context import Context, org_row
from liangxin.synth.formats import BOOL_STYLES, bool_cell, count_cell, money_cell
from liangxin.synth.mess import Messer, MessRates
from liangxin.synth.model import NO_ORG, Org, Town, World
from liangxin.synth.names import person_name, phone
from liangxin.synth.tables import Column, Row, Table, garbage_row, pick, sprinkle, totals_footer

RATES = MessRates(
    name_variant=0.35,
    code_missing=0.2,
    code_typo=0.0375,
    name_typo=0.01,
    code_format=0.01,
    fullwidth=0.01,
    name_space=0.015,
    duplicate=0.005,
)
# organizations the registry does not know are mostly written down without a code
NEW_ORG_RATES = MessRates(
    name_variant=0.1,
    code_missing=0.6,
    name_typo=0.0,
    code_format=0.01,
    fullwidth=0.01,
    name_space=0.015,
    duplicate=0.0,
)


def write(ctx: Context) -> None:
    world = ctx.world
    rng = ctx.rng("survey")
    known, new = ctx.messer(RATES, rng), ctx.messer(NEW_ORG_RATES, rng)
    by_town: dict[str, list[Org]] = {t.name: [] for t in world.towns}
    for org in world.orgs:
        if org.surveyed:
            by_town[org.town].append(org)
    combined: list[Table] = []
    for k, town in enumerate(world.towns):
        own_file = k % 2 == 1
        table = _table(world, town, by_town[town.name], (known, new), own_file, rng)
        if own_file:
            ctx.xlsx(f"{town.name}两新组织摸排表.xlsx", "survey", [table])
        else:
            combined.append(table)
    if combined:
        ctx.xlsx(f"{ctx.area}两新组织摸排汇总表.xlsx", "survey", combined)


def _unbuilt_reason(org: Org, world: World, rng: random.Random) -> str | None:
    active = [world.party_orgs[k] for k in org.party_orgs if world.party_orgs[k].status == "正常"]
    if org.single_po != NO_ORG and active:
        return None
    if active:
        return "已纳入联合党支部"
    if org.formal_members == 0:
        return pick(rng, "无党员", "暂无党员", "无正式党员")
    if org.formal_members < 3:
        return pick(rng, "党员不足3名", "正式党员不足3人")
    return pick(rng, "正在筹建", "负责人重视不够", "党员流动性大")


def _note(org: Org, rng: random.Random) -> str | None:
    if not org.in_registry and rng.random() < 0.5:
        return pick(rng, "新发现单位", "登记名录中未查到")
    if org.registry_town != org.town and rng.random() < 0.7:
        return pick(rng, f"注册地在{org.registry_town}，实际在本镇街经营", "已迁入本镇街")
    return None


def _table(
    world: World,
    town: Town,
    orgs: list[Org],
    messers: tuple[Messer, Messer],
    own_file: bool,
    rng: random.Random,
) -> Table:
    with_town = not own_file or rng.random() < 0.5
    grouped = own_file
    revenue_header = pick(rng, "营业收入（万元）", "营业收入(万元)", "营业收入")
    revenue_text = 0.3 if "万元" in revenue_header else 1.0
    bools = rng.choice(BOOL_STYLES)
    parks = world.parks

    def group(label: str) -> str:
        return label if grouped else ""

    columns = [
        ("name", Column(pick(rng, "单位名称", "企业名称", "组织名称"), group("基本信息"), 34)),
        ("code", Column("统一社会信用代码", group("基本信息"), 22)),
        ("town", Column(pick(rng, "所属镇街", "所在镇街"), group("基本信息"))),
        ("park", Column("所在园区", group("基本信息"), 18)),
        ("building", Column(pick(rng, "所在楼宇/商圈", "所在楼宇"), group("基本信息"), 18)),
        ("premises", Column(pick(rng, "是否有固定场所", "有无固定场所"), group("经营情况"))),
        ("employees", Column("从业人员数", group("经营情况"))),
        ("operating", Column("经营状况", group("经营情况"))),
        ("revenue", Column(revenue_header, group("经营情况"))),
        ("formal", Column(pick(rng, "正式党员数", "党员人数"), group("党建情况"))),
        ("investor", Column("出资人是否党员", group("党建情况"))),
        ("unbuilt", Column("未建党组织原因", group("党建情况"), 18)),
        ("mass", Column("已建群团组织", group("党建情况"))),
        ("lon", Column("经度")),
        ("lat", Column("纬度")),
        ("contact", Column("联系人")),
        ("phone", Column("联系电话", width=14)),
        ("notes", Column("备注", width=24)),
    ]
    if not with_town:
        columns = [c for c in columns if c[0] != "town"]
    keys = [key for key, _ in columns]

    def make_row(org: Org, extra: tuple[str, ...]) -> Row:
        name, code, tags = messers[0 if org.in_registry else 1].identity(org)
        if not org.in_registry:
            tags.append("new_org")
        revenue = None
        if org.survey_revenue is not None:
            revenue = money_cell(org.survey_revenue, "万元", revenue_text, rng)
            if org.tax_status and org.survey_revenue != org.tax_revenue:
                tags.append("conflict_revenue")
        zone = next((parks[k].name for k in org.parks if parks[k].is_zone), None)
        cluster = next((parks[k].name for k in org.parks if not parks[k].is_zone), None)
        values = {
            "name": name,
            "code": code,
            "town": town.name,
            "park": zone,
            "building": cluster,
            "premises": bool_cell(org.has_premises, bools),
            "employees": count_cell(org.employees, 0.3, rng),
            "operating": org.operating,
            "revenue": revenue,
            "formal": count_cell(org.formal_members, 0.1, rng),
            "investor": bool_cell(org.investor_is_member, bools),
            "unbuilt": _unbuilt_reason(org, world, rng),
            "mass": org.mass_orgs or None,
            "lon": _coordinate(town.lon, 0.05, rng),
            "lat": _coordinate(town.lat, 0.04, rng),
            "contact": person_name(rng),
            "phone": phone(rng),
            "notes": _note(org, rng),
        }
        return org_row(org, tuple(values[k] for k in keys), [*tags, *extra])

    def garbage() -> Row:
        return garbage_row(
            len(keys), keys.index("name"), [keys.index("employees"), keys.index("formal")], rng
        )

    return Table(
        sheet=town.name,
        columns=[column for _, column in columns],
        rows=sprinkle(orgs, make_row, RATES, garbage, rng),
        title=f"{town.name}两新组织摸排情况登记表",
        preamble=(f"填报单位（盖章）：{town.name}两新组织综合党委　　填报日期：2020年5月",),
        seq_header="序号",
        footer=totals_footer(
            f"填表人：{person_name(rng)}　　联系电话：{phone(rng)}　　审核人：{person_name(rng)}"
        ),
    )


def _coordinate(center: float, spread: float, rng: random.Random) -> object:
    value = round(center + rng.uniform(-spread, spread), 6)
    return value if rng.random() < 0.7 else f"{value:.6f}"
