"""``liangxin build``: a folder of extracts → the outputs of docs/rules.md §R7."""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

import polars as pl

from liangxin.engine.intake import FileReport, Intake, list_extracts, read_extracts
from liangxin.engine.outputs.changes import explain_changes, read_previous
from liangxin.engine.outputs.ledger import ledger_rows, ledger_sheets, write_ledger
from liangxin.engine.outputs.statistics import ranking_table, write_statistics
from liangxin.engine.outputs.tables import links_table, orgs_table, rejects_table, write_csv
from liangxin.engine.pipeline import run
from liangxin.engine.policies import Policy
from liangxin.engine.progress import NoProgress, Progress
from liangxin.engine.reconcile import Reconciled
from liangxin.engine.schema import Kind
from liangxin.engine.screen import Screened, dump_metrics, metrics

ENTITY_FILES = {
    Kind.PARTY_ORG: "party_orgs.csv",
    Kind.INSTRUCTOR: "instructors.csv",
    Kind.PARK: "parks.csv",
}
LEDGER = "台账.xlsx"
STATISTICS = "metrics.xlsx"


class FolderError(ValueError):
    """The input or output folder given cannot be used."""


@dataclass
class BuildResult:
    intake: Intake
    reconciled: Reconciled
    screened: Screened
    metrics: dict
    out_dir: Path
    unwritten: list[str] = field(default_factory=list)  # outputs that could not be written


@dataclass
class Writer:
    """Writes the output files into ``folder``. With ``keep_going`` a file that cannot be
    written (open in Excel, no permission, a folder of that name, a full disk) is listed in
    ``unwritten`` with its reason and every other output is still written."""

    folder: Path
    keep_going: bool = False
    unwritten: list[str] = field(default_factory=list)

    def write(self, name: str, write: Callable[[Path], object]) -> None:
        try:
            write(self.folder / name)
        except OSError as exc:
            if not self.keep_going:
                raise
            self.unwritten.append(f"{name}（{_why(exc)}）")


def _why(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "没有权限，或文件正在 Excel 等程序中打开"
    if isinstance(exc, IsADirectoryError):
        return "已有同名的文件夹"
    if exc.errno == errno.ENOSPC:
        return "磁盘空间不足"
    return f"系统错误 {exc.errno}"


def build(
    input_dir: Path,
    out_dir: Path,
    policy: Policy,
    as_of: date,
    manifest: Path | None = None,
    previous: Path | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    progress = progress or NoProgress()
    if input_dir.is_file():
        raise FolderError(f"“{input_dir}”是一个文件；请给出放部门数据文件的文件夹")
    if not input_dir.is_dir():
        raise FolderError(f"输入文件夹不存在：{input_dir}")
    if out_dir.exists() and not out_dir.is_dir():
        raise FolderError(f"输出位置“{out_dir}”是一个文件，不是文件夹")
    previous_orgs = read_previous(previous) if previous else None
    progress.step("读取部门数据", total=len(list_extracts(input_dir)))
    intake = read_extracts(input_dir, manifest, on_file=lambda _: progress.advance())
    progress.step("关联比对，统一取值，按政策筛查")
    county = run(intake.records, policy, as_of)
    reconciled, screened = county.reconciled, county.screened
    county_metrics = metrics(screened)
    progress.step("写出结果")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = Writer(out_dir, keep_going=True)
    write_tables(intake, reconciled, screened, county_metrics, out)
    changes = None
    if previous_orgs is not None:
        changes = explain_changes(screened.orgs, previous_orgs, _previous_as_of(previous))
        out.write("changes.csv", partial(write_csv, changes))
    write_books(intake, reconciled, screened, county_metrics, changes, out)
    progress.close()
    return BuildResult(intake, reconciled, screened, county_metrics, out_dir, out.unwritten)


def _previous_as_of(previous: Path) -> str | None:
    import json

    path = previous / "metrics.json"
    return json.loads(path.read_text(encoding="utf-8")).get("as_of") if path.exists() else None


def write_tables(
    intake: Intake, reconciled: Reconciled, screened: Screened, county_metrics: dict, out: Writer
) -> None:
    tables = {
        "orgs.csv": orgs_table(screened.orgs),
        "links.csv": links_table(reconciled.links),
        "rejects.csv": rejects_table(intake.rejects),
        "review.csv": reconciled.review,
        "not_found.csv": reconciled.not_found,
        "problems.csv": intake.problems,
        "unit_refs.csv": reconciled.unit_refs,
        **{name: reconciled.entities[kind] for kind, name in ENTITY_FILES.items()},
        "party_org_findings.csv": screened.party_orgs,
        "instructor_findings.csv": screened.instructors,
        "tasks.csv": screened.tasks,
        "files.csv": files_table(intake.files),
    }
    for name, table in tables.items():
        out.write(name, partial(write_csv, table))
    text = dump_metrics(county_metrics)
    out.write("metrics.json", lambda path: path.write_text(text, encoding="utf-8"))


def write_books(
    intake: Intake,
    reconciled: Reconciled,
    screened: Screened,
    county_metrics: dict,
    changes: pl.DataFrame | None,
    out: Writer,
) -> None:
    title = reconciled.county
    rows = ledger_rows(
        screened.orgs,
        reconciled.entities[Kind.PARTY_ORG],
        reconciled.entities[Kind.INSTRUCTOR],
        reconciled.entities[Kind.PARK],
    )
    sheets = ledger_sheets(
        rows,
        screened.tasks,
        ranking_table(county_metrics),
        intake.problems,
        reconciled.review,
        changes,
        title,
        reconciled.not_found,
    )
    out.write(LEDGER, lambda path: write_ledger(path, sheets))
    out.write(STATISTICS, lambda path: write_statistics(path, screened.orgs, title))


def files_table(reports: list[FileReport]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "file": [r.file for r in reports],
            "kind": [r.kind.value if r.kind else None for r in reports],
            "sheets": [";".join(r.sheets) for r in reports],
            "accepted": [r.accepted for r in reports],
            "rejected": [r.rejected for r in reports],
            "unknown_headers": [";".join(r.unknown_headers) for r in reports],
            "columns_read": [
                ";".join(dict.fromkeys(f"{c.label}={c.field}" for c in r.columns if c.field))
                for r in reports
            ],
            "columns_unread": [
                ";".join(
                    dict.fromkeys(
                        f"{c.label}（{c.why}；如：{'、'.join(c.samples) or '空'}）"
                        for c in r.columns
                        if not c.field
                    )
                )
                for r in reports
            ],
            "questions": [len({c.label for c in r.questions}) for r in reports],
            "notes": [";".join(r.notes) for r in reports],
            "error": [r.error for r in reports],
        },
        schema_overrides={"kind": pl.String, "error": pl.String},
    )
