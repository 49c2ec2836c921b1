"""通报: a bulletin for a ledger period, as a Chinese official notice (.docx, and PDF).

Pure data in, a document out: the 镇街 ranked by both coverage rates and by 销号 progress since
the previous period, the overdue tasks, the organizations newly covered, and a chart. The
web app gathers the data (``BulletinData``); ``write_docx`` lays it out in the style of a
党委 notice — red issuer header, 文号 placeholder, title, body in 仿宋, headings in 黑体,
tables and the chart — and ``convert_to_pdf`` asks LibreOffice for the PDF.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from liangxin.engine.dates import date_text
from liangxin.engine.labels import COUNT_LABELS, FLAG_LABELS, RATE_LABELS, TASK_STATUS_LABELS
from liangxin.engine.outputs import official
from liangxin.engine.rates import percent_expr, percent_text

RANKING_HEADERS = (
    "镇街", COUNT_LABELS["total"],
    COUNT_LABELS["org_covered"], RATE_LABELS["org_coverage_rate"], f"{FLAG_LABELS['org_covered']}排名",
    COUNT_LABELS["work_covered"], RATE_LABELS["work_coverage_rate"], f"{FLAG_LABELS['work_covered']}排名",
)  # fmt: skip
PROGRESS_HEADERS = (
    "镇街", "销号任务数", "已销号（含豁免）", "本期新销号", TASK_STATUS_LABELS["open"], "其中逾期",
    "销号率", "排名",
)  # fmt: skip
OVERDUE_HEADERS = ("镇街", "单位（对象）", "任务", "时限")
NEWLY_HEADERS = ("镇街", "单位", "情况")
MAX_LIST_ROWS = 300  # longer lists are summarised: “另有N项，详见台账”


@dataclass(frozen=True)
class BulletinData:
    issuer: str  # e.g. 中共临沭县两新组织工作委员会
    county: str
    period: str  # e.g. 2020年6月
    as_of: date
    previous: str | None  # the previous period's label
    totals: dict[str, Any]  # county totals: total, org_covered, work_covered, due_unestablished…
    ranking: pl.DataFrame  # rank_towns()
    progress: pl.DataFrame  # closure_progress()
    overdue: pl.DataFrame  # town, name, task, deadline
    newly: pl.DataFrame  # town, name, explanation


def _ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """The exact ratio, for ranking; what is shown is ``percent_expr``."""
    return pl.when(denominator > 0).then(numerator / denominator)


def rank_towns(towns: list[dict[str, Any]]) -> pl.DataFrame:
    """Per 镇街 counts (dashboard metrics rows) → both coverage rates and both ranks."""
    frame = pl.DataFrame(
        [
            {k: t[k] for k in ("town", "total", "org_covered", "work_covered")}
            for t in towns
        ],
        schema={"town": pl.String, "total": pl.Int64, "org_covered": pl.Int64,
                "work_covered": pl.Int64},
        orient="row",
    )  # fmt: skip
    frame = frame.with_columns(
        org_rate=_ratio(pl.col("org_covered"), pl.col("total")),
        work_rate=_ratio(pl.col("work_covered"), pl.col("total")),
        org_percent=percent_expr(pl.col("org_covered"), pl.col("total")),
        work_percent=percent_expr(pl.col("work_covered"), pl.col("total")),
    )
    return frame.with_columns(
        org_rank=pl.col("org_rate").fill_null(-1).rank("min", descending=True).cast(pl.Int64),
        work_rank=pl.col("work_rate").fill_null(-1).rank("min", descending=True).cast(pl.Int64),
    ).sort("org_rank", "work_rank", "town")


def closure_progress(now: list[dict[str, Any]], before: list[dict[str, Any]]) -> pl.DataFrame:
    """销号 per 镇街 in this period and the previous one → progress, ranked by the tasks closed
    since the previous period, then by the share closed."""
    schema = {"town": pl.String, "total": pl.Int64, "done": pl.Int64, "open": pl.Int64,
              "overdue": pl.Int64}  # fmt: skip
    current = pl.DataFrame([{k: r[k] for k in schema} for r in now], schema=schema, orient="row")
    earlier = pl.DataFrame(
        [{"town": r["town"], "done_before": r["done"]} for r in before],
        schema={"town": pl.String, "done_before": pl.Int64},
        orient="row",
    )
    frame = current.join(earlier, on="town", how="left").with_columns(
        new_done=(pl.col("done") - pl.col("done_before").fill_null(0)).clip(lower_bound=0),
        rate=_ratio(pl.col("done"), pl.col("total")),
        percent=percent_expr(pl.col("done"), pl.col("total")),
    )
    order = pl.struct(pl.col("new_done"), pl.col("rate").fill_null(-1))
    return (
        frame.with_columns(rank=order.rank("min", descending=True).cast(pl.Int64))
        .drop("done_before")
        .sort("rank", "town")
    )


def _rate_text(percent: str | None) -> str:
    return percent or "—"


def ranking_rows(ranking: pl.DataFrame) -> list[tuple[str, ...]]:
    return [
        (r["town"], str(r["total"]), str(r["org_covered"]), _rate_text(r["org_percent"]),
         str(r["org_rank"]), str(r["work_covered"]), _rate_text(r["work_percent"]),
         str(r["work_rank"]))
        for r in ranking.iter_rows(named=True)
    ]  # fmt: skip


def progress_rows(progress: pl.DataFrame) -> list[tuple[str, ...]]:
    return [
        (r["town"], str(r["total"]), str(r["done"]), str(r["new_done"]), str(r["open"]),
         str(r["overdue"]), _rate_text(r["percent"]), str(r["rank"]))
        for r in progress.iter_rows(named=True)
    ]  # fmt: skip


def chart_png(ranking: pl.DataFrame) -> bytes:
    """Both coverage rates per 镇街 as a bar chart (matplotlib, no display, CJK font)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    fonts = [f for f in font_manager.findSystemFonts() if "wqy" in f.lower() or "cjk" in f.lower()]
    family = None
    if fonts:
        font_manager.fontManager.addfont(fonts[0])
        family = font_manager.FontProperties(fname=fonts[0]).get_name()
    towns = ranking["town"].to_list()
    org = [100 * (r or 0) for r in ranking["org_rate"].to_list()]
    work = [100 * (r or 0) for r in ranking["work_rate"].to_list()]
    with plt.rc_context({"font.family": family} if family else {}):
        fig, ax = plt.subplots(figsize=(8, 3.6), dpi=150)
        xs = range(len(towns))
        ax.bar(
            [x - 0.2 for x in xs],
            org,
            width=0.4,
            label=RATE_LABELS["org_coverage_rate"],
            color="#c00000",
        )
        ax.bar(
            [x + 0.2 for x in xs],
            work,
            width=0.4,
            label=RATE_LABELS["work_coverage_rate"],
            color="#f4a300",
        )
        ax.set_xticks(list(xs), towns, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel("%")
        ax.set_ylim(0, 100)
        ax.legend(fontsize=8)
        ax.set_title("各镇街“两个覆盖”情况", fontsize=10)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        plt.close(fig)
    return out.getvalue()


def _table(doc, headers, rows, highlight: str | None = None):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        official.table_text(cell, header, official.FONT_HEADING_1)
    for row in rows:
        cells = table.add_row().cells
        marked = highlight is not None and row[0] == highlight
        for cell, value in zip(cells, row, strict=True):
            official.table_text(cell, value, bold=marked)
            if marked:
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:fill"), "FFF2CC")
                cell._tc.get_or_add_tcPr().append(shading)
    return table


def _caption(doc, text: str) -> None:
    """表题: centred above its table, 黑体 like the first-level headings, 小四."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    official.paragraph(
        doc, text, official.FONT_HEADING_1, official.SIZE_TABLE, align=WD_ALIGN_PARAGRAPH.CENTER
    )


def _list_rows(frame: pl.DataFrame, columns: tuple[str, ...]) -> tuple[list[tuple], int]:
    shown = frame.head(MAX_LIST_ROWS)
    rows = [tuple("" if v is None else str(v) for v in r) for r in shown.select(columns).rows()]
    return rows, frame.height - shown.height


def write_docx(data: BulletinData, path: Path, highlight: str | None = None) -> Path:
    """The bulletin as a 公文 (GB/T 9704, see ``official``); the 文号 is left for the office."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = official.official_document()
    official.issuer_header(doc, data.issuer, f"两新工委〔{data.as_of.year}〕  号")
    county = _county_word(data.county)
    official.title(doc, f"关于{data.period}全{county}两新组织“两个覆盖”工作进展情况的通报")
    official.paragraph(doc, "各镇（街道）两新组织综合党委，县直有关部门：", indent=False)
    t = data.totals
    official.paragraph(
        doc,
        f"截至{date_text(data.as_of)}，全{county}"
        f"纳入统计的两新组织{t['total']}家，党的组织覆盖{t['org_covered']}家、覆盖率"
        f"{percent_text(t['org_covered'], t['total'])}，党的工作覆盖{t['work_covered']}家、"
        f"覆盖率{percent_text(t['work_covered'], t['total'])}；应建未建{t['due_unestablished']}"
        f"家。逾期未销号任务{data.overdue.height}项。现将有关情况通报如下。",
    )
    official.heading(doc, "一、各镇街“两个覆盖”排名", 1)
    _caption(doc, "表1  各镇街党的组织覆盖率和工作覆盖率排名")
    _table(doc, RANKING_HEADERS, ranking_rows(data.ranking), highlight)
    doc.add_picture(io.BytesIO(chart_png(data.ranking)), width=Mm(150))
    picture = doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    official.off_grid(picture)  # the picture's own height, not one line of the grid
    since = f"（与{data.previous}相比）" if data.previous else "（首期，无上期对比）"
    official.heading(doc, f"二、销号进度{since}", 1)
    _caption(doc, "表2  各镇街销号任务进度排名")
    _table(doc, PROGRESS_HEADERS, progress_rows(data.progress), highlight)
    official.heading(doc, "三、逾期未销号任务", 1)
    rows, more = _list_rows(data.overdue, ("town", "name", "task", "deadline"))
    if rows:
        _caption(doc, "表3  逾期未销号任务清单")
        _table(doc, OVERDUE_HEADERS, rows)
        if more:
            official.paragraph(doc, f"另有{more}项，详见台账。")
    else:
        official.paragraph(doc, "无逾期未销号任务。")
    official.heading(doc, "四、本期新实现覆盖的单位", 1)
    rows, more = _list_rows(data.newly, ("town", "name", "explanation"))
    if rows:
        _caption(doc, "表4  本期新实现党的组织覆盖或工作覆盖的单位")
        _table(doc, NEWLY_HEADERS, rows)
        if more:
            official.paragraph(doc, f"另有{more}家，详见台账。")
    else:
        official.paragraph(
            doc, "本期无新实现覆盖的单位。" if data.previous else "首期通报，不列新增覆盖。"
        )
    official.paragraph(
        doc,
        "请各镇（街道）对照排名查找差距，对逾期未销号任务逐一制定“一企一策”“一社一策”，"
        "明确责任人和完成时限，按期销号。",
    )
    official.signature(doc, data.issuer, data.as_of)
    doc.save(path)
    return path


def _county_word(county: str) -> str:
    return "区" if county.endswith("区") else "县"


def convert_to_pdf(docx: Path, out_dir: Path, timeout: int = 300) -> Path:
    """The .docx as PDF, converted by LibreOffice (Writer) in its own profile."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        raise RuntimeError("未安装 LibreOffice，无法生成 PDF")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
             "pdf", "--outdir", str(out_dir), str(docx)],
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
    pdf = out_dir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"LibreOffice 转换 PDF 失败：{done.stderr.strip()}")
    return pdf
