"""园区/楼宇名录: zones on one sheet, buildings and 商圈 on another; a park with many units
continues on the next rows under the same name."""

from __future__ import annotations

from liangxin.synth.extracts.context import Context, units_cell
from liangxin.synth.mess import MessRates
from liangxin.synth.model import Park
from liangxin.synth.tables import REF, Column, Row, Table, garbage_row, pick, sprinkle

RATES = MessRates(name_variant=0.3, fullwidth=0.01, duplicate=0.0, blank_row=0.0, garbage=0.0)
UNITS_PER_ROW = 20


def write(ctx: Context) -> None:
    world = ctx.world
    rng = ctx.rng("park")
    messer = ctx.messer(RATES, rng)

    def make_row(chunk: tuple[Park, list[int]], extra: tuple[str, ...]) -> Row:
        park, unit_indices = chunk
        units, tags = units_cell([world.orgs[i] for i in unit_indices], messer, 0.25, rng)
        cells = (park.name, park.level or None, park.park_kind, park.town, units or None)
        return Row(cells, REF, entity_id=park.park_id, mess=(*tags, *extra))

    tables = []
    for sheet, zones in (("园区", True), ("楼宇商圈", False)):
        chunks = [
            (park, park.units[start : start + UNITS_PER_ROW])
            for park in world.parks
            if park.is_zone == zones
            for start in range(0, max(len(park.units), 1), UNITS_PER_ROW)
        ]
        name_header = "园区名称" if zones else pick(rng, "楼宇名称", "园区/楼宇名称")
        columns = [
            Column(name_header, width=24),
            Column("级别"),
            Column("类型"),
            Column(pick(rng, "所属镇街", "镇街")),
            Column("入驻单位", width=80),
        ]
        tables.append(
            Table(
                sheet=sheet,
                columns=columns,
                rows=sprinkle(chunks, make_row, RATES, lambda: garbage_row(5, 0, [], rng), rng),
                title=f"{ctx.area}园区、楼宇（商圈）名录",
                seq_header="序号",
            )
        )
    ctx.xlsx(f"{ctx.area}园区楼宇名录.xlsx", "park", tables)
