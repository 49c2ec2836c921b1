"""Which department knows which organization, what each reports, and where they disagree.

Conflicts are only ever created where docs/rules.md §R4.3 precedence settles them: insurance differs from the
survey (survey wins), the survey's revenue differs from tax (tax wins), the registry's 镇街 differs
from the survey's (survey wins).
"""

from __future__ import annotations

import random

from liangxin.synth.geography import address
from liangxin.synth.model import Org, Park, Town

# (surveyed, in tax, insured) shares among active organizations of each category
COVERAGE: dict[str, tuple[float, float, float]] = {
    "private": (0.62, 0.75, 0.62),
    "individual": (0.03, 0.35, 0.15),
    "branch": (0.30, 0.50, 0.50),
    "public": (0.20, 0.85, 0.85),
    "association": (0.50, 0.25, 0.35),
    "service_org": (0.60, 0.40, 0.60),
    "foundation": (0.40, 0.30, 0.30),
    "law_firm": (0.50, 0.80, 0.70),
    "accounting_firm": (0.50, 0.90, 0.70),
    "tax_agency": (0.50, 0.90, 0.70),
}
NEW_FOUND_SHARE = 0.015  # active private enterprises only the survey knows
MOVED_SHARE = 0.025  # surveyed enterprises registered in another 镇街 of the county
SUPPLEMENT_SHARE = 0.08  # uninsured organizations on the supplementary insurance list
CONFLICT_EMPLOYEES = 0.12
CONFLICT_REVENUE = 0.10
CONFLICT_STAFF = 0.10
_STOPPED = frozenset({"停产", "歇业", "破产"})
_INDUSTRIAL = frozenset({"制造业", "建筑业", "交通运输、仓储和邮政业"})


def assign_parks(orgs: list[Org], parks: list[Park], rng: random.Random) -> None:
    """Units of zones come from the zone's 镇街, manufacturers first; clusters take a few
    service firms and social organizations; a 商会 gathers enterprises from its county."""
    by_town: dict[str, list[int]] = {}
    enterprises_of: dict[str, list[int]] = {}
    for i, org in enumerate(orgs):
        by_town.setdefault(org.town, []).append(i)
        if org.kind == "enterprise":
            enterprises_of.setdefault(org.county, []).append(i)
    for k, park in enumerate(parks):
        if park.park_kind == "商会":
            chosen = [i for i in enterprises_of.get(park.county, ()) if rng.random() < 0.01]
        else:
            chosen = [
                i for i in by_town.get(park.town, ()) if rng.random() < _park_share(park, orgs[i])
            ]
        for i in chosen:
            if not any(parks[j].is_zone == park.is_zone for j in orgs[i].parks):
                orgs[i].parks += (k,)
                park.units.append(i)


def _park_share(park: Park, org: Org) -> float:
    if org.category == "individual":
        return 0.0
    if park.is_zone:
        if org.kind != "enterprise":
            return 0.02
        return 0.5 if org.industry in _INDUSTRIAL else 0.25
    return 0.06 if org.kind == "social_org" or org.industry not in _INDUSTRIAL else 0.01


def assign_sources(orgs: list[Org], towns: list[Town], rng: random.Random) -> None:
    towns_of: dict[str, list[str]] = {}
    for town in towns:
        towns_of.setdefault(town.county, []).append(town.name)
    for org in orgs:
        p_survey, p_tax, p_insured = COVERAGE[org.category]
        active = not org.deregistered
        if active and org.category == "private" and rng.random() < NEW_FOUND_SHARE:
            org.in_registry = False
            org.surveyed = True
        else:
            org.surveyed = active and rng.random() < p_survey
        if org.surveyed:
            _survey(org, towns_of[org.county], rng)
        if rng.random() < (p_tax if active else 0.3):
            _tax(org, rng)
        if active and org.employees and rng.random() < p_insured:
            _insurance(org, 1, rng)
        elif not active and rng.random() < 0.2:
            org.insurance, org.insured, org.insurance_status = 1, 0, "注销"
        elif active and org.employees and rng.random() < SUPPLEMENT_SHARE:
            _insurance(org, 2, rng)
        if org.kind == "social_org":
            listed = org.surveyed or org.insurance
            org.staff = (
                _differ(org.employees, rng)
                if listed and rng.random() < CONFLICT_STAFF
                else org.employees
            )


def _survey(org: Org, county_towns: list[str], rng: random.Random) -> None:
    org.operating = rng.choices(
        ("正常经营", "停产", "歇业", "破产", "已搬离", "查无此单位"), (87, 3, 3, 1, 3, 3)
    )[0]
    gone = org.operating in ("已搬离", "查无此单位") or (
        org.operating == "歇业" and rng.random() < 0.1
    )
    org.has_premises = not gone and rng.random() > 0.02
    if org.kind == "enterprise":
        org.investor_is_member = org.formal_members > 0 and rng.random() < 0.4
    big = org.employees >= 25
    org.mass_orgs = rng.choices(
        ("", "工会", "工会、共青团", "工会、妇联", "工会、共青团、妇联"),
        (30, 40, 12, 10, 8) if big else (90, 8, 1, 1, 0),
    )[0]
    blank = rng.random() < (0.6 if org.kind == "social_org" else 0.1)
    org.survey_revenue = None if blank else org.revenue
    others = [t for t in county_towns if t != org.town]
    if org.in_registry and org.category == "private" and others and rng.random() < MOVED_SHARE:
        org.registry_town = rng.choice(others)
        org.address = address(org.county, org.registry_town, rng)


def _tax(org: Org, rng: random.Random) -> None:
    if org.deregistered:
        org.tax_status = "注销"
    elif org.operating in _STOPPED:
        org.tax_status = rng.choices(("正常", "非正常", "停业"), (2, 3, 5))[0]
    else:
        org.tax_status = rng.choices(("正常", "非正常", "停业"), (88, 8, 4))[0]
    org.tax_revenue = org.revenue if org.tax_status == "正常" else 0.0
    if org.survey_revenue is not None and rng.random() < CONFLICT_REVENUE:
        org.survey_revenue = round(org.revenue * rng.choice((0.5, 0.8, 1.25, 1.6)), 2)


def _insurance(org: Org, extract: int, rng: random.Random) -> None:
    org.insurance = extract
    org.insurance_status = rng.choices(("正常参保", "暂停缴费"), (92, 8))[0]
    conflict = org.surveyed and rng.random() < CONFLICT_EMPLOYEES
    org.insured = _differ(org.employees, rng) if conflict else org.employees


def _differ(value: int, rng: random.Random) -> int:
    """A different head count, as another department would report it."""
    if value > 1 and rng.random() < 0.7:
        return value - rng.randint(1, max(1, value // 2))
    return value + rng.randint(1, 5)
