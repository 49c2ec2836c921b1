"""Projections at the current pace."""

from __future__ import annotations

from datetime import date

import polars as pl

from liangxin.engine.plan import project, sentence


def test_pace_between_first_and_last_observation_carried_to_the_deadline():
    observations = pl.DataFrame(
        {
            "key": ["a", "a", "a", "b", "c", "c"],
            "as_of": [date(2020, 6, 1), date(2020, 6, 15), date(2020, 7, 1), date(2020, 7, 1),
                      date(2020, 6, 1), date(2020, 7, 1)],
            "done": [2, 3, 8, 1, 0, 29],
            "total": [30, 30, 30, 5, 30, 30],
        }
    )  # fmt: skip
    deadlines = pl.DataFrame(
        {
            "key": ["a", "b", "c"],
            "deadline": [date(2020, 8, 31), date(2020, 11, 30), date(2020, 8, 31)],
        }
    )
    rows = {r["key"]: r for r in project(observations, deadlines).iter_rows(named=True)}
    assert rows["a"]["per_day"] == 6 / 30
    assert rows["a"]["projected"] == 8 + int(61 * 6 / 30)  # 20 of 30
    assert rows["a"]["remaining"] == 22
    assert rows["b"]["per_day"] is None and rows["b"]["projected"] is None
    assert rows["c"]["projected"] == 30  # never more than the total
    assert sentence("规上企业单独组建", date(2020, 8, 31), rows["a"]) == (
        "按当前进度，8月31日前规上企业单独组建预计完成 20/30"
    )
    assert "暂无法预计" in sentence("x", date(2020, 11, 30), rows["b"])
