"""党建工作指导员名册: a sheet per county; the units each instructor guides, by name or code."""

from __future__ import annotations

from liangxin.synth.extracts.context import Context, units_cell
from liangxin.synth.mess import MessRates
from liangxin.synth.model import Instructor
from liangxin.synth.tables import REF, Column, Row, Table, garbage_row, pick, sprinkle

RATES = MessRates(name_variant=0.3, fullwidth=0.01, duplicate=0.0, blank_row=0.003, garbage=0.0)


def write(ctx: Context) -> None:
    world = ctx.world
    rng = ctx.rng("instructor")
    messer = ctx.messer(RATES, rng)

    def make_row(person: Instructor, extra: tuple[str, ...]) -> Row:
        units, tags = units_cell([world.orgs[i] for i in person.assigned], messer, 0.3, rng)
        cells = (
            person.name,
            person.unit,
            person.position,
            person.full_time,
            person.phone,
            person.town,
            units,
        )
        return Row(cells, REF, entity_id=person.instructor_id, mess=(*tags, *extra))

    tables = []
    for county in world.counties:
        people = sorted((p for p in world.instructors if p.county == county), key=lambda p: p.town)
        columns = [
            Column(pick(rng, "姓名", "指导员姓名")),
            Column("工作单位", width=28),
            Column("职务"),
            Column(pick(rng, "专职/兼职", "专兼职")),
            Column("联系电话", width=14),
            Column(pick(rng, "负责镇街", "所属镇街")),
            Column("联系单位", width=60),
        ]
        tables.append(
            Table(
                sheet=county,
                columns=columns,
                rows=sprinkle(people, make_row, RATES, lambda: garbage_row(7, 0, [], rng), rng),
                title=f"{county}两新组织党建工作指导员名册",
                seq_header="序号",
            )
        )
    ctx.xlsx(f"{ctx.area}党建工作指导员名册.xlsx", "instructor", tables)
