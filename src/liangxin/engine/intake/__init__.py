"""Intake: a folder of department extracts → canonical records per source kind.

Pipeline per file: read raw sheets → locate header and kind → extract rows. A file that cannot
be used is reported with a Chinese reason and the other files go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from liangxin.engine.intake.config import MANIFEST_NAME, FileMapping, IntakeConfig, load_config
from liangxin.engine.intake.errors import FileProblem
from liangxin.engine.intake.headers import (
    HEADER_SEARCH_ROWS,
    NOT_NEEDED,
    UNUSED,
    HeaderLayout,
    locate_header,
)
from liangxin.engine.intake.profile import SAMPLE_ROWS, profile_columns
from liangxin.engine.intake.readers import SUPPORTED_SUFFIXES, RawSheet, read_file
from liangxin.engine.intake.rows import PROBLEM_SCHEMA, REJECT_SCHEMA, extract_rows
from liangxin.engine.intake.vocabulary import SPLIT_SEED
from liangxin.engine.labels import KIND_LABELS
from liangxin.engine.schema import SCHEMAS, Kind


@dataclass(frozen=True)
class ColumnReading:
    """How one column of a sheet was read: the field it holds, or why it was not used."""

    sheet: str
    position: int  # 0-based column of the sheet
    label: str
    field: str = ""  # "" when not used
    field_label: str = ""
    by_content: bool = False
    why: str = ""
    samples: tuple[str, ...] = ()
    sure: bool = True  # False: the county admin is asked to confirm

    @property
    def asks(self) -> bool:
        return not self.sure


@dataclass
class FileReport:
    file: str
    kind: Kind | None = None
    sheets: list[str] = field(default_factory=list)
    accepted: int = 0
    rejected: int = 0
    skipped_rows: int = 0  # title, header, blank, note and total rows
    unknown_headers: list[str] = field(default_factory=list)
    columns: list[ColumnReading] = field(default_factory=list)
    proposed_kind: Kind | None = None  # the kind the columns suggest when the file is refused
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def questions(self) -> list[ColumnReading]:
        """The columns the county admin is asked about (none once the template is confirmed)."""
        return list(self.columns) if self.error else [c for c in self.columns if c.asks]

    def summary(self) -> str:
        if self.error:
            return f"✗ {self.error}"
        label = KIND_LABELS[self.kind] if self.kind else "?"
        if not self.accepted and not self.rejected:
            # a header with no rows under it is a wrong or unfinished export, never a success
            return f"⚠ {self.file}：{label}，表头下没有数据行，未使用"
        mark = "✓" if self.accepted else "⚠"
        text = f"{mark} {self.file}：{label}，接收{self.accepted}行，退回{self.rejected}行"
        if self.unknown_headers:
            text += f"；未识别的表头：{'、'.join(self.unknown_headers)}"
        return text


@dataclass
class Intake:
    records: dict[Kind, pl.DataFrame]
    rejects: pl.DataFrame
    problems: pl.DataFrame
    files: list[FileReport]


def list_extracts(input_dir: Path) -> list[Path]:
    """Files to read: every file below the folder except hidden ones and the manifest."""
    found = []
    for path in sorted(input_dir.rglob("*")):
        parts = path.relative_to(input_dir).parts
        if any(p.startswith((".", "~$")) for p in parts) or not path.is_file():
            continue
        if path.name == MANIFEST_NAME:
            continue
        found.append(path)
    return found


def read_extracts(
    input_dir: Path,
    manifest: Path | None = None,
    on_file: Callable[[FileReport], None] | None = None,
    split_seed: int = SPLIT_SEED,
    templates: dict[str, FileMapping] | None = None,
) -> Intake:
    """``templates`` are confirmed templates remembered elsewhere (the web app); the
    manifest's own win over them. ``split_seed`` chooses which half of the collected header
    spellings the recognizer knows (benchmarks cross-validate with other seeds)."""
    config = load_config(manifest or input_dir / MANIFEST_NAME).merged(templates or {})
    parts: dict[Kind, list[pl.DataFrame]] = {}
    rejects, problems, reports = [], [], []
    for path in list_extracts(input_dir):
        report = FileReport(path.name)
        try:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise FileProblem(path.name, "不是表格文件（.xlsx、.xls、.csv），已跳过")
            sheets = read_file(path)
            _read_sheets(sheets, config, report, parts, rejects, problems, split_seed)
        except FileProblem as exc:
            report.error = str(exc)
        reports.append(report)
        if on_file:
            on_file(report)
    records = {kind: pl.concat(frames, how="diagonal_relaxed") for kind, frames in parts.items()}
    return Intake(
        records,
        pl.concat(rejects) if rejects else pl.DataFrame(schema=REJECT_SCHEMA),
        (pl.concat(problems) if problems else pl.DataFrame(schema=PROBLEM_SCHEMA)).sort(
            "source_file", "source_sheet", "source_row"
        ),
        reports,
    )


KNOWN_UNUSED = (UNUSED, NOT_NEEDED)  # columns recognised as not needed: nothing to ask


def readings(sheet: RawSheet, layout: HeaderLayout) -> list[ColumnReading]:
    """Every labelled column of the sheet: what it was read as, or why it was not used."""
    schema = SCHEMAS[layout.kind]
    profiles = profile_columns(
        sheet.cells.slice(layout.data_start, SAMPLE_ROWS),
        [c.column for c in (*layout.columns, *layout.unknown)],
    )
    found = [
        ColumnReading(
            sheet.sheet,
            int(m.column[1:]),
            m.label,
            m.field,
            schema.field(m.field).label,
            m.by_content,
            samples=profiles[m.column].samples,
            sure=m.field == "seq" or not (m.doubt or m.by_content),  # 序号 is never used
        )
        for m in layout.columns
    ]
    for u in layout.unknown:
        profile = profiles[u.column]
        holds = profile.looks_like()
        found.append(
            ColumnReading(
                sheet.sheet,
                int(u.column[1:]),
                u.label,
                why=f"{u.why}（内容像{holds}）" if holds and u.why not in KNOWN_UNUSED else u.why,
                samples=profile.samples,
                sure=u.why in KNOWN_UNUSED or not profile.filled,
            )
        )
    return sorted(found, key=lambda r: r.position)


def _read_sheets(
    sheets: list[RawSheet],
    config: IntakeConfig,
    report: FileReport,
    parts,
    rejects,
    problems,
    split_seed: int,
):
    forced, headers, unused = config.for_file(report.file)
    config = IntakeConfig(headers=headers)
    used = 0
    nearest: tuple[RawSheet, HeaderLayout] | None = None
    for sheet in sheets:
        head = sheet.cells.head(HEADER_SEARCH_ROWS + SAMPLE_ROWS).drop("source_row")
        reading = locate_header(head, config, forced, split_seed, frozenset(unused))
        layout = reading.best
        where = f"工作表「{sheet.sheet}」" if sheet.sheet else ""
        if layout is None:
            if reading.nearest and (nearest is None or _stronger(reading.nearest, nearest[1])):
                nearest = (sheet, reading.nearest)
            if sheet.cells.height:
                report.notes.append(f"{where}未找到可识别的表头，已跳过")
            continue
        if len(reading.tied) > 1:
            report.columns, report.proposed_kind = readings(sheet, layout), layout.kind
            kinds = "、".join(KIND_LABELS[k] for k in reading.tied)
            raise FileProblem(
                report.file,
                f"{where}无法判断文件类型（可能是：{kinds}）。{explain(report)}"
                f"{what_to_do(report.file, kinds_named=False)}",
            )
        if report.kind and layout.kind is not report.kind:
            raise FileProblem(
                report.file,
                f"各工作表类型不一致（{KIND_LABELS[report.kind]} 与 {KIND_LABELS[layout.kind]}），请拆分文件",
            )
        report.kind = layout.kind
        if sheet.truncated:
            report.notes.append(
                "文件不完整：最后一行被截断（该行已退回），请向报送部门索取完整文件"
            )
        rows = extract_rows(sheet, layout)
        used += 1
        report.sheets.append(sheet.sheet)
        report.accepted += rows.records.height
        report.rejected += rows.rejects.height
        report.skipped_rows += sheet.cells.height - rows.records.height - rows.rejects.height
        report.unknown_headers.extend(
            h for h in layout.unknown_labels if h not in report.unknown_headers
        )
        report.columns += readings(sheet, layout)
        parts.setdefault(layout.kind, []).append(rows.records)
        rejects.append(rows.rejects)
        problems.append(rows.problems)
    if not used:
        if nearest:
            report.columns, report.proposed_kind = readings(*nearest), nearest[1].kind
        raise FileProblem(
            report.file,
            f"未找到可识别的表头，无法判断是哪类部门数据表。{explain(report)}"
            f"{what_to_do(report.file, kinds_named=True)}",
        )


def _stronger(layout: HeaderLayout, other: HeaderLayout) -> bool:
    return sum(m.score for m in layout.columns) > sum(m.score for m in other.columns)


def explain(report: FileReport) -> str:
    """Which columns were understood and which not, with what the latter hold."""
    if not report.columns:
        return ""
    known = [f"「{c.label}」→{c.field_label}" for c in report.columns if c.field]
    unknown = [
        f"「{c.label}」（如：{'、'.join(c.samples) or '空'}）"
        for c in report.columns
        if not c.field
    ]
    text = ""
    if known:
        text += f"已识别的列：{'；'.join(known)}。"
    if unknown:
        text += f"未识别的列：{'；'.join(unknown)}。"
    return text


def what_to_do(file: str, kinds_named: bool) -> str:
    kinds = "、".join(f"{k.value}（{KIND_LABELS[k]}）" for k in Kind)
    text = (
        "处理办法：在网页“导入”中打开“核对列”，逐列确认或改正含义（确认后同一模板的文件不再询问）；"
        f"或在 {MANIFEST_NAME} 的 [headers] 中写“原表头 = 字段”"
    )
    if kinds_named:
        text += f'，并在 [files] 中写“"{file}" = 类型”（类型可选：{kinds}）'
    else:
        text += f'，并在 [files] 中指明“"{file}"”的类型'
    return text + "；也可运行 liangxin columns 文件夹 查看每列的建议含义。"
