"""Personal data masked by default in every list and export (docs/rules.md §R3.4, 个人信息保护法)."""

from __future__ import annotations

import polars as pl


def mask_phone(e: pl.Expr) -> pl.Expr:
    """13812345678 → 138****5678; landlines keep their last four digits."""
    digits = e.str.replace_all(r"\D", "")
    return (
        pl.when(digits.str.len_chars() >= 7)
        .then(pl.concat_str(digits.str.slice(0, 3), pl.lit("****"), digits.str.slice(-4, 4)))
        .when(digits.str.len_chars() > 0)
        .then(pl.lit("****"))
    )


def mask_person(e: pl.Expr) -> pl.Expr:
    """张三丰 → 张**: the surname is enough to talk about a person in a meeting."""
    text = e.str.strip_chars()
    return pl.when(text.str.len_chars() > 0).then(
        pl.concat_str(
            text.str.slice(0, 1), pl.lit("*").repeat_by(text.str.len_chars() - 1).list.join("")
        )
    )


def mask_id_number(e: pl.Expr) -> pl.Expr:
    """A resident ID keeps its region (6) and last four characters."""
    text = e.str.strip_chars()
    return pl.when(text.str.len_chars() >= 10).then(
        pl.concat_str(text.str.slice(0, 6), pl.lit("********"), text.str.slice(-4, 4))
    )
