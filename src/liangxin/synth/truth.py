"""The ground truth in ``out_dir/.truth/`` (UTF-8 CSV, ``\n`` line ends).

``columns.csv`` — each written column and the field it holds (header recognition).
``rows.csv`` — one row per physical data row written in any extract (title, header, blank,
note and 合计/小计 rows are not data rows and are not listed):
  source_file, source_sheet ("" for CSV), source_row (Excel row number, or the CSV line a record
  starts on), kind, expect (``link``: describes org_id; ``ref``: a party_org / instructor /
  park row of entity_id; ``reject``: garbage), org_id, entity_id, mess (``;``-joined tags:
  name_variant, name_space, name_typo, fullwidth, code_missing, code_typo, code_format,
  codes_partial, duplicate, conflict_employees, conflict_revenue, conflict_town, new_org,
  garbage; with a variation profile also short_form, stock_form, bracket_part, region_level,
  zihao_slip, layout — see ``variation.py``). A conflict tag marks the row whose value loses under docs/rules.md §R4.3
  precedence.
``orgs.csv`` — one row per organization, values as a correct reconciliation concludes them
  (employees: survey > insurance > social_org staff; revenue_wan: tax > survey; formal_members:
  survey, else its single party org), plus ``exclusion_reason`` by docs/rules.md §R5.1.
``party_orgs.csv``, ``instructors.csv``, ``parks.csv`` — the referenced entities with the
  org_ids of their units. ``county.json`` — names, towns, seed, size and the files written.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from liangxin.synth import pools
from liangxin.synth.model import NO_ORG, Org, World
from liangxin.synth.tables import Row

ROW_COLUMNS = (
    "source_file",
    "source_sheet",
    "source_row",
    "kind",
    "expect",
    "org_id",
    "entity_id",
    "mess",
)
ORG_COLUMNS = (
    "org_id",
    "credit_code",
    "name",
    "kind",
    "subtype",
    "legal_form",
    "town",
    "reg_status",
    "operating",
    "has_premises",
    "employees",
    "revenue_wan",
    "tax_status",
    "formal_members",
    "in_registry",
    "parks",
    "trap_of",
    "exclusion_reason",
)
_STOPPED = frozenset({"停产", "歇业", "破产"})
_UNVERIFIED = frozenset({"已搬离", "查无此单位"})


class TruthRows:
    """Streams ``rows.csv`` while the extracts are written; counts rows per kind."""

    def __init__(self, path: Path) -> None:
        self._handle = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self._writer.writerow(ROW_COLUMNS)
        self.per_kind: Counter[str] = Counter()

    def add(self, file: str, sheet: str, row_no: int, kind: str, row: Row) -> None:
        self._writer.writerow(
            (file, sheet, row_no, kind, row.expect, row.org_id, row.entity_id, ";".join(row.mess))
        )
        self.per_kind[kind] += 1

    def close(self) -> None:
        self._handle.close()


def _flag(value: bool | None) -> str:
    return "" if value is None else "true" if value else "false"


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def employees(org: Org) -> int | None:
    """survey > insurance > social organization staff (docs/rules.md §R4.3)."""
    if org.surveyed:
        return org.employees
    if org.insurance:
        return org.insured
    return org.staff


def revenue(org: Org) -> float | None:
    """tax > survey (docs/rules.md §R4.3)."""
    return org.tax_revenue if org.tax_status else org.survey_revenue


def formal_members(org: Org, world: World) -> int | None:
    """The survey's, else that of the org's own party organization (docs/rules.md §R5.2)."""
    if org.surveyed:
        return org.formal_members
    if org.single_po != NO_ORG:
        return world.party_orgs[org.single_po].formal
    return None


def exclusion_reason(org: Org) -> str:
    """The first reason of docs/rules.md §R5.1 that applies, or "" when the org is in scope."""
    rev = revenue(org)
    reasons = (
        ("已注销/吊销/迁出", org.deregistered),
        ("公有制企业", any(w in org.legal_form for w in ("国有", "全民所有制", "集体"))),
        ("非法人分支机构", "分公司" in org.legal_form or org.kind == "individual_business"),
        ("停产/歇业/破产", org.operating in _STOPPED or org.tax_status in ("停业", "注销")),
        ("核实不符合条件", org.operating in _UNVERIFIED or org.has_premises is False),
        ("无从业人员", employees(org) == 0),
        ("无经营纳税", org.kind == "enterprise" and not rev and org.tax_status != "正常"),
    )
    return next((reason for reason, applies in reasons if applies), "")


def _ids(world: World, indices) -> str:
    return ";".join(world.orgs[i].org_id for i in indices)


def _write(path: Path, header: tuple[str, ...], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_world(world: World, truth_dir: Path, files: list[dict[str, object]]) -> None:
    orgs = world.orgs
    _write(
        truth_dir / "orgs.csv",
        ORG_COLUMNS,
        (
            (
                o.org_id,
                o.credit_code,
                o.name,
                o.kind,
                o.subtype,
                o.legal_form,
                o.town,
                o.reg_status if o.in_registry else "",
                o.operating,
                _flag(o.has_premises),
                _number(employees(o)),
                _number(revenue(o)),
                o.tax_status,
                _number(formal_members(o, world)),
                _flag(o.in_registry),
                ";".join(world.parks[k].name for k in o.parks),
                orgs[o.trap_of].org_id if o.trap_of != NO_ORG else "",
                exclusion_reason(o),
            )
            for o in orgs
        ),
    )
    _write(
        truth_dir / "party_orgs.csv",
        (
            "party_org_id",
            "name",
            "type",
            "mode",
            "formal_members",
            "probationary_members",
            "status",
            "unit_org_ids",
        ),
        (
            (
                p.party_org_id,
                p.name,
                p.type,
                p.mode,
                p.formal,
                p.probationary,
                p.status,
                _ids(world, p.units),
            )
            for p in world.party_orgs
        ),
    )
    _write(
        truth_dir / "instructors.csv",
        ("instructor_id", "name", "town", "full_time", "assigned_org_ids"),
        (
            (i.instructor_id, i.name, i.town, i.full_time, _ids(world, i.assigned))
            for i in world.instructors
        ),
    )
    _write(
        truth_dir / "parks.csv",
        ("park_id", "name", "level", "park_kind", "town", "unit_org_ids"),
        (
            (p.park_id, p.name, p.level, p.park_kind, p.town, _ids(world, p.units))
            for p in world.parks
        ),
    )
    county = {
        "province": pools.PROVINCE,
        "city": pools.CITY,
        "county": world.counties[0] if len(world.counties) == 1 else pools.CITY,
        "counties": world.counties,
        "towns": [t.name for t in world.towns],
        "town_county": {t.name: t.county for t in world.towns},
        "seed": world.seed,
        "n_orgs": world.n_orgs,
        "files": files,
    }
    (truth_dir / "county.json").write_text(
        json.dumps(county, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


COLUMN_COLUMNS = ("file", "sheet", "column", "header", "field")


def write_columns(columns: list[dict], path: Path) -> None:
    """``columns.csv``: every written column (0-based position) and the field it holds."""
    _write(path, COLUMN_COLUMNS, ([c[k] for k in COLUMN_COLUMNS] for c in columns))
