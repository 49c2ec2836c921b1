"""税务 extract: a GBK or GB18030 CSV with a title line; revenue in 元 or 万元 by the header."""

from __future__ import annotations

from liangxin.synth.extracts.context import Context, org_row
from liangxin.synth.formats import money_cell
from liangxin.synth.mess import MessRates
from liangxin.synth.model import Org
from liangxin.synth.tables import Column, Row, Table, garbage_row, pick, sprinkle, totals_footer

RATES = MessRates(
    name_variant=0.2,
    code_typo=0.03,
    code_format=0.01,
    fullwidth=0.005,
    name_space=0.01,
    duplicate=0.004,
)


def write(ctx: Context) -> None:
    rng = ctx.rng("tax")
    messer = ctx.messer(RATES, rng)
    unit = pick(rng, "元", "万元")
    orgs = sorted((o for o in ctx.world.orgs if o.tax_status), key=lambda o: o.credit_code)

    def make_row(org: Org, extra: tuple[str, ...]) -> Row:
        name, code, tags = messer.identity(org)
        revenue = org.tax_revenue or 0.0
        paid = round(revenue * rng.uniform(0.01, 0.06), 2)
        cells = (
            code,
            name,
            money_cell(revenue, unit, 0.03, rng),
            money_cell(paid, unit, 0.0, rng),
            org.tax_status,
        )
        return org_row(org, cells, [*tags, *extra])

    table = Table(
        sheet="",
        columns=[
            Column(pick(rng, "纳税人识别号", "统一社会信用代码")),
            Column(pick(rng, "纳税人名称", "企业名称")),
            Column(f"{pick(rng, '营业收入', '年度营业收入', '销售收入')}({unit})"),
            Column(f"{pick(rng, '实缴税额', '入库税款')}({unit})"),
            Column("纳税人状态"),
        ],
        rows=sprinkle(orgs, make_row, RATES, lambda: garbage_row(5, 1, [2, 3], rng), rng),
        title="2019年度纳税人营业收入及纳税情况",
        seq_header="序号",
        footer=totals_footer(f"数据来源：国家税务总局{ctx.area}税务局"),
    )
    encoding = pick(rng, "gbk", "gb18030")
    ctx.csv(f"{ctx.area}税务登记户收入情况.csv", "tax", table, encoding)
