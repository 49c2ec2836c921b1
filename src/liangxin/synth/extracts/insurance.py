"""人社 extracts: the insured units (UTF-8 CSV with BOM) and a supplementary list whose head
count column (职工总数) no schema knows — ``liangxin.toml`` maps it and names the file's kind."""

from __future__ import annotations

from liangxin.synth.extracts.context import Context, org_row
from liangxin.synth.formats import count_cell
from liangxin.synth.mess import Messer, MessRates
from liangxin.synth.model import Org
from liangxin.synth.tables import Column, Row, Table, garbage_row, pick, sprinkle

RATES = MessRates(
    name_variant=0.25,
    code_missing=0.08,
    code_typo=0.01,
    code_format=0.01,
    fullwidth=0.01,
    name_space=0.01,
    duplicate=0.005,
)
UNMAPPED_HEADER = "职工总数"
MANIFEST_FILE = "liangxin.toml"
FIXED_HEADERS = {UNMAPPED_HEADER: "insured"}  # kept as written under every header style
MANIFEST = """\
# 清单：文件类型（可选；系统能识别的可不写）
[files]
"{file}" = "insurance"
# 表头对照：原表头 = 标准字段
[headers]
"{header}" = "insured"
"""


def write(ctx: Context) -> None:
    rng = ctx.rng("insurance")
    messer = ctx.messer(RATES, rng)
    area = ctx.area
    main = [o for o in ctx.world.orgs if o.insurance == 1]
    columns = [
        Column(pick(rng, "统一社会信用代码", "社会信用代码")),
        Column(pick(rng, "单位名称", "参保单位名称")),
        Column(pick(rng, "参保人数", "在职参保人数", "缴费人数")),
        Column(pick(rng, "参保状态", "缴费状态")),
    ]
    ctx.csv(
        f"{area}社保参保单位名单.csv", "insurance", _table(columns, main, messer, rng), "utf-8-sig"
    )

    supplement = [o for o in ctx.world.orgs if o.insurance == 2]
    file = f"{area}新增参保单位补充名单.csv"
    columns = [
        Column("统一社会信用代码"),
        Column("单位名称"),
        Column(UNMAPPED_HEADER),
        Column("参保状态"),
    ]
    table = _table(columns, supplement, messer, rng)
    table.title = "2020年1-5月新增参保单位补充名单"
    ctx.csv(file, "insurance", table, "utf-8")
    (ctx.out_dir / MANIFEST_FILE).write_text(
        MANIFEST.format(file=file, header=UNMAPPED_HEADER), encoding="utf-8"
    )


def _table(columns: list[Column], orgs: list[Org], messer: Messer, rng) -> Table:
    def make_row(org: Org, extra: tuple[str, ...]) -> Row:
        name, code, tags = messer.identity(org)
        if org.surveyed and org.insured != org.employees:
            tags.append("conflict_employees")
        cells = (code, name, count_cell(org.insured, 0.3, rng), org.insurance_status)
        return org_row(org, cells, [*tags, *extra])

    return Table(
        sheet="",
        columns=columns,
        rows=sprinkle(orgs, make_row, messer.rates, lambda: garbage_row(4, 1, [2], rng), rng),
        seq_header="序号",
    )
