"""Personal data masked by default, with the engine's own rules (``outputs.masking``)."""

from __future__ import annotations

import polars as pl

from liangxin.engine.outputs.masking import mask_id_number, mask_person, mask_phone

MASKS = {"phone": mask_phone, "person": mask_person, "id_number": mask_id_number}
# field name → how it is masked, wherever such a field is shown
PERSONAL_FIELDS = {
    "phone": "phone",
    "contact": "person",
    "legal_rep": "person",
    "secretary": "person",
    "id_number": "id_number",
}


def mask_values(values: list[str | None], how: str) -> list[str | None]:
    if not values:
        return []
    frame = pl.DataFrame({"v": [None if v is None else str(v) for v in values]})
    return frame.select(MASKS[how](pl.col("v")))["v"].to_list()


def mask(value, how: str):
    return mask_values([value], how)[0] if value not in (None, "") else value


def mask_field(name: str, value):
    how = PERSONAL_FIELDS.get(name)
    return mask(value, how) if how else value


REVEAL_REASON_MIN = 4
