"""Problems found while reading extracts, worded for the official who has to fix them."""

from __future__ import annotations


class FileProblem(Exception):
    """A whole file cannot be used; the other files go on."""

    def __init__(self, file: str, message: str):
        super().__init__(f"文件「{file}」：{message}")
        self.file = file
        self.message = message


def where(file: str, sheet: str, row: int | None = None, column: str | None = None) -> str:
    """Chinese location of a cell: 文件「a.xlsx」工作表「城关镇」第12行「从业人员数」列."""
    text = f"文件「{file}」"
    if sheet:
        text += f"工作表「{sheet}」"
    if row is not None:
        text += f"第{row}行"
    if column:
        text += f"「{column}」列"
    return text
