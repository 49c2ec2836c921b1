"""``liangxin build``: a folder of extracts → the outputs of SPEC §7."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from liangxin.engine.intake import FileReport, Intake, list_extracts, read_extracts
from liangxin.engine.outputs.changes import explain_changes, read_previous
from liangxin.engine.outputs.ledger import ledger_rows, ledger_sheets, write_ledger
from liangxin.engine.outputs.statistics import ranking_table, write_statistics
from liangxin.engine.outputs.tables import links_table, orgs_table, rejects_table, write_csv
from liangxin.engine.policies import Policy
from liangxin.engine.progress import NoProgress, Progress
from liangxin.engine.reconcile import Reconciled, reconcile
from liangxin.engine.schema import SCHEMAS, Kind
from liangxin.engine.screen import Screened, dump_metrics, metrics, screen

ENTITY_FILES = {
    Kind.PARTY_ORG: "party_orgs.csv",
    Kind.INSTRUCTOR: "instructors.csv",
    Kind.PARK: "parks.csv",
}
LEDGER = "台账.xlsx"
STATISTICS = "metrics.xlsx"


@dataclass
class BuildResult:
    intake: Intake
    reconciled: Reconciled
    screened: Screened
    metrics: dict
    out_dir: Path


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
    if not input_dir.is_dir():
        raise FileNotFoundError(f"输入文件夹不存在：{input_dir}")
    previous_orgs = read_previous(previous) if previous else None
    progress.step("读取部门数据", total=len(list_extracts(input_dir)))
    intake = read_extracts(input_dir, manifest, on_file=lambda _: progress.advance())
    progress.step("关联比对，统一取值")
    reconciled = reconcile(intake.records)
    progress.step("按政策筛查")
    screened = screen(reconciled, policy, as_of)
    county_metrics = metrics(screened)
    progress.step("写出结果")
    out_dir.mkdir(parents=True, exist_ok=True)
    write_tables(intake, reconciled, screened, county_metrics, out_dir)
    changes = None
    if previous_orgs is not None:
        changes = explain_changes(screened.orgs, previous_orgs, _previous_as_of(previous))
        write_csv(changes, out_dir / "changes.csv")
    write_books(intake, reconciled, screened, county_metrics, changes, out_dir)
    progress.close()
    return BuildResult(intake, reconciled, screened, county_metrics, out_dir)


def _previous_as_of(previous: Path) -> str | None:
    import json

    path = previous / "metrics.json"
    return json.loads(path.read_text(encoding="utf-8")).get("as_of") if path.exists() else None


def write_tables(
    intake: Intake, reconciled: Reconciled, screened: Screened, county_metrics: dict, out_dir: Path
) -> None:
    write_csv(orgs_table(screened.orgs), out_dir / "orgs.csv")
    write_csv(links_table(reconciled.links), out_dir / "links.csv")
    write_csv(rejects_table(intake.rejects), out_dir / "rejects.csv")
    write_csv(reconciled.review, out_dir / "review.csv")
    write_csv(reconciled.not_found, out_dir / "not_found.csv")
    write_csv(intake.problems, out_dir / "problems.csv")
    write_csv(reconciled.unit_refs, out_dir / "unit_refs.csv")
    for kind, name in ENTITY_FILES.items():
        if kind in reconciled.entities:
            write_csv(reconciled.entities[kind], out_dir / name)
    write_csv(screened.party_orgs, out_dir / "party_org_findings.csv")
    write_csv(screened.instructors, out_dir / "instructor_findings.csv")
    write_csv(screened.tasks, out_dir / "tasks.csv")
    write_csv(files_table(intake.files), out_dir / "files.csv")
    (out_dir / "metrics.json").write_text(dump_metrics(county_metrics), encoding="utf-8")


def write_books(
    intake: Intake,
    reconciled: Reconciled,
    screened: Screened,
    county_metrics: dict,
    changes: pl.DataFrame | None,
    out_dir: Path,
) -> None:
    title = reconciled.county
    rows = ledger_rows(
        screened.orgs,
        _entities(reconciled, Kind.PARTY_ORG),
        _entities(reconciled, Kind.INSTRUCTOR),
        _entities(reconciled, Kind.PARK),
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
    write_ledger(out_dir / LEDGER, sheets)
    write_statistics(out_dir / STATISTICS, screened.orgs, title)


def _entities(reconciled: Reconciled, kind: Kind) -> pl.DataFrame:
    """The reconciled rows of a reference kind; an empty table when no file of that kind came."""
    if kind in reconciled.entities:
        return reconciled.entities[kind]
    fields = SCHEMAS[kind].fields
    return pl.DataFrame(schema={"entity_id": pl.String, **{f.name: pl.String for f in fields}})


def files_table(reports: list[FileReport]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "file": [r.file for r in reports],
            "kind": [r.kind.value if r.kind else None for r in reports],
            "sheets": [";".join(r.sheets) for r in reports],
            "accepted": [r.accepted for r in reports],
            "rejected": [r.rejected for r in reports],
            "unknown_headers": [";".join(r.unknown_headers) for r in reports],
            "notes": [";".join(r.notes) for r in reports],
            "error": [r.error for r in reports],
        },
        schema_overrides={"kind": pl.String, "error": pl.String},
    )
