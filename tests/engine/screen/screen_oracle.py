"""An independent, plain-Python reading of docs/rules.md §R5 over a generated county's ground truth.

It knows nothing of the engine: it reads ``.truth/`` (the world as it really is) and says what
every flag of docs/rules.md §R7 should be for each true organization, so the engine's screening of the
messy extracts can be compared with it organization by organization.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Shunyi 第六条: social organizations that must set up their own party organization at 30+ staff.
SHUNYI_SUBTYPES = ("law_firm", "accounting_firm")
SHUNYI_SERVICE_ORG_WORDS = ("社工", "社会工作", "学校", "幼儿园", "学院", "中学", "小学", "医院")


@dataclass(frozen=True)
class Numbers:
    revenue_wan: float = 2000
    above_scale_employees: int = 100
    members_single: int = 3
    focus_no_member: int = 50
    focus_no_org: int = 100
    focus_social: int = 15
    instructor: int = 10
    fallback_below: int = 10
    shunyi_extra: bool = False


PRESET_NUMBERS = {
    "linyi-2020": Numbers(),
    "national": Numbers(),
    "shunyi-2017": Numbers(shunyi_extra=True),
}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _ids(cell: str) -> list[str]:
    return [x for x in cell.split(";") if x]


def _int(cell: str) -> int | None:
    return int(cell) if cell != "" else None


def _float(cell: str) -> float | None:
    return float(cell) if cell != "" else None


def _at_least(value: float | None, limit: float) -> bool:
    return value is not None and value >= limit


def expected_flags(truth_dir: Path, preset: str) -> dict[str, dict[str, Any]]:
    """truth org_id → every value and flag docs/rules.md §R7 lists for orgs.csv."""
    n = PRESET_NUMBERS[preset]
    party_orgs = [p for p in _read(truth_dir / "party_orgs.csv") if p["status"] == "正常"]
    covering = Counter(o for p in party_orgs for o in _ids(p["unit_org_ids"]))
    single = {_ids(p["unit_org_ids"])[0] for p in party_orgs if len(_ids(p["unit_org_ids"])) == 1}
    guided = {o for i in _read(truth_dir / "instructors.csv") for o in _ids(i["assigned_org_ids"])}
    zoned = {
        o
        for p in _read(truth_dir / "parks.csv")
        if p["park_kind"] == "园区"
        for o in _ids(p["unit_org_ids"])
    }

    expected = {}
    for org in _read(truth_dir / "orgs.csv"):
        oid, kind = org["org_id"], org["kind"]
        employees = _int(org["employees"])
        revenue = _float(org["revenue_wan"])
        members = _int(org["formal_members"])
        in_scope = org["exclusion_reason"] == ""
        enterprise = kind in ("enterprise", "individual_business")
        social = kind == "social_org"
        above_scale = enterprise and (
            _at_least(revenue, n.revenue_wan) or _at_least(employees, n.above_scale_employees)
        )
        in_park = oid in zoned
        single_established = oid in single
        org_covered = covering[oid] > 0
        work_covered = org_covered or oid in guided
        shunyi_firm = (
            n.shunyi_extra
            and social
            and _at_least(employees, 30)
            and (
                org["subtype"] in SHUNYI_SUBTYPES
                or (
                    org["subtype"] == "service_org"
                    and any(w in org["name"] for w in SHUNYI_SERVICE_ORG_WORDS)
                )
            )
        )
        single_required = in_scope and (
            _at_least(members, n.members_single) or above_scale or shunyi_firm
        )
        expected[oid] = {
            "in_scope": in_scope,
            "exclusion_reason": org["exclusion_reason"] or None,
            "employees": employees,
            "formal_members": members,
            "above_scale": above_scale,
            "in_park": in_park,
            "single_established": single_established,
            "org_covered": org_covered,
            "work_covered": work_covered,
            "single_required": single_required,
            "due_unestablished": single_required and not single_established,
            "focus_50_no_member": in_scope
            and enterprise
            and _at_least(employees, n.focus_no_member)
            and members == 0,
            "focus_100_no_org": in_scope
            and enterprise
            and _at_least(employees, n.focus_no_org)
            and not org_covered,
            "focus_social_15_no_member": in_scope
            and social
            and _at_least(employees, n.focus_social)
            and members == 0,
            "park_uncovered": in_scope and in_park and not org_covered,
            "instructor_required": in_scope
            and not org_covered
            and (_at_least(employees, n.instructor) or in_park),
            "fallback": in_scope
            and enterprise
            and employees is not None
            and employees < n.fallback_below
            and not org_covered,
        }
    return expected


def truth_org_of_row(truth_dir: Path) -> dict[tuple[str, str, int], str]:
    """(file, sheet, row) of every organization row → the true org_id it describes."""
    return {
        (r["source_file"], r["source_sheet"], int(r["source_row"])): r["org_id"]
        for r in _read(truth_dir / "rows.csv")
        if r["expect"] == "link"
    }
