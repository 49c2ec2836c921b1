"""市场监管 市场主体名录: one workbook per county, one sheet per 镇街."""

from __future__ import annotations

import random

from liangxin.synth.extracts.context import Context, org_row
from liangxin.synth.formats import date_cell, money_cell, wan_text
from liangxin.synth.mess import Messer, MessRates
from liangxin.synth.model import Org
from liangxin.synth.names import person_name
from liangxin.synth.tables import Column, Row, Table, garbage_row, pick, sprinkle, totals_footer

RATES = MessRates(code_format=0.01, fullwidth=0.008, name_space=0.01, duplicate=0.004)
CROSS_SHEET_DUPLICATE = 0.004  # a surveyed organization listed again under another 镇街


def write(ctx: Context) -> None:
    world = ctx.world
    rng = ctx.rng("registry")
    by_town: dict[str, list[tuple[Org, str]]] = {t.name: [] for t in world.towns}
    for org in world.orgs:
        if org.in_registry and org.kind != "social_org":
            by_town[org.registry_town].append((org, ""))
    for org in world.orgs:  # the same organization once more, in another 镇街's sheet
        listed = org.surveyed and org.in_registry and org.kind != "social_org"
        if listed and rng.random() < CROSS_SHEET_DUPLICATE:
            others = [t.name for t in world.towns_of(org.county) if t.name != org.registry_town]
            if others:
                by_town[rng.choice(others)].append((org, "duplicate"))
    for county in world.counties:
        headers = _headers(rng)
        messer = ctx.messer(RATES, rng)
        tables = [
            _sheet(
                county,
                town.name,
                sorted(by_town[town.name], key=lambda e: e[0].founded),
                headers,
                messer,
                rng,
            )
            for town in world.towns_of(county)
        ]
        ctx.xlsx(f"{county}市场主体名录.xlsx", "registry", tables)


def _headers(rng: random.Random) -> dict[str, str]:
    return {
        "code": pick(rng, "统一社会信用代码", "社会信用代码", "信用代码"),
        "name": pick(rng, "企业名称", "市场主体名称", "名称"),
        "legal_form": pick(rng, "企业类型", "市场主体类型"),
        "legal_rep": pick(rng, "法定代表人", "法定代表人（负责人）", "负责人"),
        "capital": pick(rng, "注册资本（万元）", "注册资本(万元)", "注册资本"),
        "founded": pick(rng, "成立日期", "成立时间"),
        "status": pick(rng, "登记状态", "经营状态", "企业状态"),
        "address": pick(rng, "住所", "注册地址", "地址"),
        "industry": pick(rng, "所属行业", "行业门类"),
        "town": pick(rng, "所属镇街", "管辖单位", "乡镇（街道）"),
    }


def _sheet(
    county: str, town: str, entries, headers: dict[str, str], messer: Messer, rng: random.Random
) -> Table:
    with_town = rng.random() < 0.5
    keys = [
        "code",
        "name",
        "legal_form",
        "legal_rep",
        "capital",
        "founded",
        "status",
        "address",
        "industry",
    ]
    if with_town:
        keys.append("town")
    capital_unit_in_header = "万元" in headers["capital"]
    widths = {"name": 34, "address": 36, "code": 22, "legal_form": 28}

    def make_row(entry: tuple[Org, str], extra: tuple[str, ...]) -> Row:
        org, tag = entry
        name, code, tags = messer.identity(org)
        if org.capital_wan is None:
            capital = None
        elif capital_unit_in_header and rng.random() < 0.7:
            capital = money_cell(org.capital_wan, "万元", 0.0, rng)
        else:
            capital = wan_text(org.capital_wan) + "万元"
        values = {
            "code": code,
            "name": name,
            "legal_form": org.legal_form,
            "legal_rep": org.legal_rep,
            "capital": capital,
            "founded": date_cell(org.founded, rng),
            "status": org.reg_status,
            "address": org.address,
            "industry": org.industry,
            "town": town,
        }
        if tag:
            tags.append(tag)
        if town != org.town:
            tags.append("conflict_town")
        return org_row(org, tuple(values[k] for k in keys), [*tags, *extra])

    name_col = keys.index("name")
    return Table(
        sheet=town,
        columns=[Column(headers[k], width=widths.get(k, 12)) for k in keys],
        rows=sprinkle(
            entries,
            make_row,
            RATES,
            lambda: garbage_row(len(keys), name_col, [keys.index("capital")], rng),
            rng,
        ),
        title=f"{county}市场主体名录（截至2020年5月）",
        preamble=("",) if rng.random() < 0.5 else (),
        seq_header=pick(rng, "序号", "编号"),
        footer=totals_footer(
            pick(
                rng,
                f"注：数据来源于{county}市场监督管理局登记注册系统，截至2020年5月31日。",
                f"填报单位：{county}市场监督管理局　　填报人：{person_name(rng)}　　审核人：{person_name(rng)}",
            ),
            label=pick(rng, "合计", "小计"),
        ),
        date_format=pick(rng, "yyyy-mm-dd", "yyyy/m/d", "yyyy年m月d日"),
    )
