"""组织 list → xlsx (the current filter, personal data masked), with the engine's sheet writer."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl

from liangxin.engine.outputs.ledger import write_ledger
from liangxin.engine.outputs.masking import mask_person, mask_phone
from liangxin.engine.outputs.workbook import Column, Sheet
from liangxin.web.core.labels import FLAG_LABELS, ORG_KIND_LABELS, SUBTYPE_LABELS

FIELDS = (
    "org_id", "name", "credit_code", "kind", "subtype", "town", "industry", "supervisor",
    "legal_rep", "contact", "phone", "employees", "formal_members", "revenue_wan", "in_scope",
    "exclusion_reason", *FLAG_LABELS, "reasons",
)  # fmt: skip
COLUMNS = [
    Column("单位编号", "org_id", 20),
    Column("名称", "name", 32),
    Column("统一社会信用代码", "credit_code", 20),
    Column("类别", "kind", 10),
    Column("社会组织类型", "subtype", 12),
    Column("镇街", "town", 10),
    Column("所属行业", "industry", 14),
    Column("业务主管单位", "supervisor", 16),
    Column("法定代表人", "legal_rep", 10),
    Column("联系人", "contact", 10),
    Column("联系电话", "phone", 14),
    Column("从业人员", "employees", 8),
    Column("正式党员", "formal_members", 8),
    Column("营业收入（万元）", "revenue_wan", 12),
    Column("纳入统计", "in_scope", 8),
    Column("不纳入统计原因", "exclusion_reason", 16),
    *(Column(label, flag, 10) for flag, label in FLAG_LABELS.items()),
    Column("说明", "reasons", 60),
]


def export_orgs(queryset) -> bytes:
    rows = list(queryset.values(*FIELDS))
    frame = pl.DataFrame(rows, schema={f: _dtype(f) for f in FIELDS}, strict=False)
    frame = frame.with_columns(
        kind=pl.col("kind").replace_strict(ORG_KIND_LABELS, default=None),
        subtype=pl.col("subtype").replace_strict(SUBTYPE_LABELS, default=None),
        legal_rep=mask_person(pl.col("legal_rep")),
        contact=mask_person(pl.col("contact")),
        phone=mask_phone(pl.col("phone")),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orgs.xlsx"
        write_ledger(path, [Sheet("两新组织", COLUMNS, frame, "两新组织（导出）")])
        return path.read_bytes()


def _dtype(field: str) -> pl.DataType:
    if field in ("employees", "formal_members"):
        return pl.Int64
    if field == "revenue_wan":
        return pl.Float64
    if field == "in_scope" or field in FLAG_LABELS:
        return pl.Boolean
    return pl.String
