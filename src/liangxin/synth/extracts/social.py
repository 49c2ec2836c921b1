"""Registers of social organizations: 民政 (workbook with a two-row header, a sheet per type),
司法局 律师事务所 (GBK CSV), 财政局 会计师/税务师事务所 (workbook)."""

from __future__ import annotations

import random
from collections.abc import Sequence

from liangxin.synth.extracts.context import Context, org_row
from liangxin.synth.formats import count_cell, date_cell
from liangxin.synth.mess import Messer, MessRates
from liangxin.synth.model import Org
from liangxin.synth.tables import Column, Row, Table, garbage_row, pick, sprinkle, totals_footer

RATES = MessRates(
    code_missing=0.01, code_format=0.01, fullwidth=0.008, name_space=0.01, duplicate=0.004
)
_CIVIL_SHEETS = (
    ("社会团体", "association"),
    ("民办非企业单位", "service_org"),
    ("基金会", "foundation"),
)
_SUPERVISORS = {
    "association": (
        "民政局",
        "工商业联合会",
        "文化和旅游局",
        "教育和体育局",
        "农业农村局",
        "科学技术协会",
    ),
    "service_org": ("教育和体育局", "民政局", "人力资源和社会保障局", "卫生健康局"),
    "foundation": ("民政局",),
    "law_firm": ("司法局",),
    "accounting_firm": ("财政局",),
    "tax_agency": ("财政局",),
}
_TYPE_LABELS = {"service_org": ("民办非企业单位", "社会服务机构")}


def write(ctx: Context) -> None:
    world, area = ctx.world, ctx.area
    rng = ctx.rng("social_org")
    messer = ctx.messer(RATES, rng)
    of = {key: [o for o in world.orgs if o.subtype == key] for key in _SUPERVISORS}
    ctx.xlsx(
        f"{area}社会组织名录.xlsx",
        "social_org",
        [
            _civil_sheet(area, sheet, of[key], messer, rng)
            for sheet, key in _CIVIL_SHEETS
            if of[key]
        ],
    )
    lawyers = _firm_table(area, "律师事务所名录", of["law_firm"], messer, rng, excel=False)
    ctx.csv(f"{area}司法局律师事务所名录.csv", "social_org", lawyers, "gbk")
    firms = sorted(of["accounting_firm"] + of["tax_agency"], key=lambda o: o.founded)
    ctx.xlsx(
        f"{area}会计师事务所税务师事务所名录.xlsx",
        "social_org",
        [_firm_table(area, "会计师事务所、税务师事务所名录", firms, messer, rng, excel=True)],
    )


def _cells(
    org: Org, messer: Messer, rng: random.Random, excel: bool
) -> tuple[dict[str, object], list[str]]:
    name, code, tags = messer.identity(org)
    if org.staff != org.employees:
        tags.append("conflict_employees")
    county = org.county
    return {
        "name": name,
        "code": code,
        "type": rng.choice(_TYPE_LABELS.get(org.subtype, (org.legal_form,))),
        "supervisor": county + rng.choice(_SUPERVISORS[org.subtype]),
        "legal_rep": org.legal_rep,
        "address": org.address,
        "founded": date_cell(org.founded, rng, excel),
        "status": org.reg_status,
        "staff": count_cell(org.staff or 0, 0.2, rng),
        "town": org.town,
    }, tags


def _civil_sheet(
    area: str, sheet: str, orgs: Sequence[Org], messer: Messer, rng: random.Random
) -> Table:
    """基本情况 merged over name, code and type; the other headers merged down both rows."""
    columns = [
        ("name", Column(pick(rng, "社会组织名称", "单位名称"), "基本情况", 34)),
        ("code", Column("统一社会信用代码", "基本情况", 22)),
        ("type", Column(pick(rng, "社会组织类型", "组织类型"), "基本情况")),
        ("supervisor", Column("业务主管单位", width=20)),
        ("legal_rep", Column("法定代表人")),
        ("address", Column(pick(rng, "住所", "地址"), width=36)),
        ("founded", Column(pick(rng, "成立登记日期", "成立日期"))),
        ("status", Column("登记状态")),
        ("staff", Column(pick(rng, "从业人员数", "专职工作人员数"))),
        ("town", Column(pick(rng, "所属镇街", "镇街"))),
    ]
    return _table(
        area,
        sheet,
        columns,
        orgs,
        messer,
        rng,
        excel=True,
        title=f"{area}依法登记{sheet}名单（截至2020年5月）",
    )


def _firm_table(
    area: str, title: str, orgs: Sequence[Org], messer: Messer, rng: random.Random, excel: bool
) -> Table:
    columns = [
        ("name", Column(pick(rng, "单位名称", "名称"), width=34)),
        ("code", Column("统一社会信用代码", width=22)),
        ("type", Column("组织类型")),
        ("supervisor", Column("业务主管单位")),
        ("legal_rep", Column("负责人")),
        ("address", Column("地址", width=36)),
        ("founded", Column("成立日期")),
        ("staff", Column("从业人员数")),
        ("status", Column("登记状态")),
    ]
    return _table(
        area, "名录" if excel else "", columns, orgs, messer, rng, excel, title=f"{area}{title}"
    )


def _table(
    area: str,
    sheet: str,
    columns,
    orgs: Sequence[Org],
    messer: Messer,
    rng: random.Random,
    excel: bool,
    title: str,
) -> Table:
    keys = [key for key, _ in columns]

    def make_row(org: Org, extra: tuple[str, ...]) -> Row:
        values, tags = _cells(org, messer, rng, excel)
        return org_row(org, tuple(values[k] for k in keys), [*tags, *extra])

    def garbage() -> Row:
        return garbage_row(len(keys), keys.index("name"), [keys.index("staff")], rng)

    return Table(
        sheet=sheet,
        columns=[column for _, column in columns],
        rows=sprinkle(orgs, make_row, RATES, garbage, rng),
        title=title,
        seq_header="序号",
        footer=totals_footer(f"注：本表由{area}民政局、司法局、财政局提供，仅供工作参考。", "个"),
        date_format=pick(rng, "yyyy-mm-dd", "yyyy年m月d日"),
    )
