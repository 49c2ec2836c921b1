"""党组织 extract (党员信息系统): a sheet per county, “党员情况” merged over the member counts;
joint organizations list their units in one cell, with codes for some of them."""

from __future__ import annotations

import datetime as dt
import random

from liangxin.synth.extracts.context import Context, units_cell
from liangxin.synth.formats import count_cell, date_cell
from liangxin.synth.mess import Messer, MessRates
from liangxin.synth.model import PartyOrg, World
from liangxin.synth.tables import (
    REF,
    Column,
    Row,
    Table,
    garbage_row,
    pick,
    sprinkle,
    totals_footer,
)

RATES = MessRates(name_variant=0.4, fullwidth=0.01, duplicate=0.0, blank_row=0.002, garbage=0.0005)


def write(ctx: Context) -> None:
    world = ctx.world
    rng = ctx.rng("party_org")
    messer = ctx.messer(RATES, rng)
    tables = []
    for county in world.counties:
        rows = [p for p in world.party_orgs if p.county == county]
        rows.sort(key=lambda p: world.orgs[p.units[0]].town)
        tables.append(_table(world, county, rows, messer, rng))
    ctx.xlsx(f"{ctx.area}两新组织党组织信息.xlsx", "party_org", tables)


def _table(
    world: World, county: str, party_orgs: list[PartyOrg], messer: Messer, rng: random.Random
) -> Table:
    columns = [
        Column(pick(rng, "党组织名称", "党组织全称"), width=40),
        Column(pick(rng, "党组织类别", "组织类别", "党组织类型")),
        Column(pick(rng, "组建方式", "组建形式")),
        Column(pick(rng, "所在单位名称", "所在单位", "覆盖单位"), width=40),
        Column(pick(rng, "所在单位统一社会信用代码", "单位信用代码"), width=24),
        Column(pick(rng, "正式党员", "正式党员数"), "党员情况", 8),
        Column(pick(rng, "预备党员", "预备党员数"), "党员情况", 8),
        Column(pick(rng, "党员总数", "党员数"), "党员情况", 8),
        Column(pick(rng, "书记", "党组织书记")),
        Column(pick(rng, "成立时间", "成立日期")),
        Column(pick(rng, "上级党组织", "隶属党组织"), width=30),
        Column(pick(rng, "状态", "党组织状态")),
    ]

    def make_row(po: PartyOrg, extra: tuple[str, ...]) -> Row:
        units = [world.orgs[i] for i in po.units]
        names, tags = units_cell(units, messer, 0.0, rng)
        code_share = 0.7 if len(units) == 1 else rng.choice((0.0, 0.0, 0.3, 0.6, 1.0))
        coded = [org for org in units if rng.random() < code_share]
        codes, code_tags = units_cell(coded, messer, 1.0, rng)
        if len(coded) < len(units):
            tags.append("codes_partial" if coded else "code_missing")
        cells = (
            po.name,
            po.type_label,
            po.mode_label,
            names,
            codes or None,
            count_cell(po.formal, 0.05, rng),
            po.probationary,
            po.formal + po.probationary,
            po.secretary,
            date_cell(po.founded, rng),
            po.superior,
            po.status,
        )
        mess = tuple(dict.fromkeys([*tags, *code_tags, *extra]))
        return Row(cells, REF, entity_id=po.party_org_id, mess=mess)

    def garbage() -> Row:
        return garbage_row(len(columns), 0, [5, 7], rng)

    return Table(
        sheet=county,
        columns=columns,
        rows=sprinkle(party_orgs, make_row, RATES, garbage, rng),
        title=f"{county}两新组织党组织基本情况统计表",
        preamble=(f"统计截止日期：{dt.date(2020, 5, 31):%Y年%m月%d日}",),
        seq_header="序号",
        footer=totals_footer("注：联合党支部的所在单位按“、”等分隔逐一列出。", "个"),
    )
