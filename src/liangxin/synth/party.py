"""Party organizations (single, joint, affiliated) and 党建工作指导员 of the county."""

from __future__ import annotations

import datetime as dt
import random

from liangxin.synth.model import NO_ORG, Instructor, Org, Park, PartyOrg
from liangxin.synth.names import person_name, phone

TYPE_LABELS = {
    "committee": ("党委", "基层党委"),
    "general_branch": ("党总支", "总支部"),
    "branch": ("党支部", "支部"),
    "joint_branch": ("联合党支部",),
}
_FULL_NAMES = {"committee": "委员会", "general_branch": "总支部委员会", "branch": "支部委员会"}
_JOINABLE = frozenset(
    {"private", "service_org", "association", "law_firm", "accounting_firm", "tax_agency"}
)
_GROUP_SIZES = ((2, 3, 4, 5, 6, 7, 8), (10, 20, 25, 20, 10, 8, 7))
_FIRST_PO_DAY = dt.date(2000, 1, 1).toordinal()
_LAST_PO_DAY = dt.date(2020, 5, 20).toordinal()
_NUMERALS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 35 → 三十五; larger numbers stay in digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens] + "十")
    return head + (_NUMERALS[ones] if ones else "")


class PartyBuilder:
    def __init__(self, orgs: list[Org], parks: list[Park], rng: random.Random) -> None:
        self._orgs = orgs
        self._parks = parks
        self._rng = rng
        self.party_orgs: list[PartyOrg] = []
        self._joint_numbers: dict[str, int] = {}

    def build(self) -> list[PartyOrg]:
        for i, org in enumerate(self._orgs):
            if self._rng.random() < _single_share(org):
                self._single(i)
        self._joint()
        return self.party_orgs

    def _add(self, units: list[int], **fields) -> None:
        rng = self._rng
        first = self._orgs[units[0]]
        k = len(self.party_orgs)
        po = PartyOrg(
            party_org_id=f"P{k + 1:06d}",
            units=units,
            secretary=person_name(rng),
            founded=rng.randint(max(first.founded, _FIRST_PO_DAY), _LAST_PO_DAY),
            superior=_superior(first, rng),
            county=first.county,
            **fields,
        )
        self.party_orgs.append(po)
        for i in units:
            self._orgs[i].party_orgs += (k,)
        if len(units) == 1:
            first.single_po = k

    def _single(self, i: int) -> None:
        rng, org = self._rng, self._orgs[i]
        formal = org.formal_members
        kind = _single_type(formal, rng)
        label = rng.choice(TYPE_LABELS[kind])
        if rng.random() < 0.5:
            name = f"中共{org.name}{_FULL_NAMES[kind]}"
        else:
            name = org.name + (label if label.startswith("党") else "党" + label)
        affiliated = rng.random() < 0.08
        self._add(
            [i],
            name=name,
            type=kind,
            type_label=label,
            mode="affiliated" if affiliated else "single",
            mode_label=rng.choice(("依托组建", "挂靠组建")) if affiliated else "单独组建",
            formal=formal,
            probationary=rng.choices((0, 1, 2, 3), (60, 25, 10, 5))[0],
            # a single party org is revoked only where the survey still gives the member count
            status="撤销" if org.surveyed and rng.random() < 0.04 else "正常",
        )

    def _joint(self) -> None:
        """Small organizations grouped by park or cluster first, then by 镇街 and trade."""
        rng, orgs = self._rng, self._orgs
        candidates = [i for i, o in enumerate(orgs) if _joinable(o, rng)]
        eligible = set(candidates)
        grouped: set[int] = set()
        for park in self._parks:
            members = [i for i in park.units if i in eligible and i not in grouped]
            members = [i for i in members if rng.random() < 0.5]
            mode_label = "园区联建" if park.is_zone else "楼宇联建"
            self._groups(members, mode_label, park.name, grouped)
        by_town: dict[str, list[int]] = {}
        for i in candidates:
            if i not in grouped and rng.random() < 0.3:
                by_town.setdefault(orgs[i].town, []).append(i)
        for town_units in by_town.values():
            town_units.sort(key=lambda i: orgs[i].industry)
            self._groups(town_units, "", "", grouped)

    def _groups(self, units: list[int], mode_label: str, place: str, grouped: set[int]) -> None:
        rng, orgs = self._rng, self._orgs
        start = 0
        while len(units) - start >= 2:
            size = min(rng.choices(*_GROUP_SIZES)[0], len(units) - start)
            group = units[start : start + size]
            start += size
            grouped.update(group)
            industries = {orgs[i].industry for i in group}
            label = mode_label or (
                "行业联建"
                if len(industries) == 1 and "" not in industries
                else rng.choice(("联合组建", "区域联建"))
            )
            formal = max(3, sum(orgs[i].formal_members for i in group)) + rng.randint(0, 2)
            if place and rng.random() < 0.15:  # a park's branch also takes in mobile members
                formal += rng.randint(30, 70)
            probationary = rng.randint(0, 2)
            if formal + probationary > 50 and rng.random() < 0.5:
                kind = "general_branch"
            else:  # some of the big ones stay a branch: oversize
                kind = rng.choices(("joint_branch", "branch"), (85, 15))[0]
            self._add(
                group,
                name=self._joint_name(orgs[group[0]], place),
                type=kind,
                type_label=rng.choice(TYPE_LABELS[kind]),
                mode="joint",
                mode_label=label,
                formal=formal,
                probationary=probationary,
                status="撤销" if rng.random() < 0.03 else "正常",
            )

    def _joint_name(self, first: Org, place: str) -> str:
        stem = f"{first.county}{first.town}" + (place or "")
        number = self._joint_numbers.get(stem, 0) + 1
        self._joint_numbers[stem] = number
        if self._rng.random() < 0.5:
            return f"中共{stem}第{chinese_number(number)}联合支部委员会"
        return f"{stem}第{chinese_number(number)}联合党支部"


def _single_type(formal: int, rng: random.Random) -> str:
    """党委 above 100 members, 党总支 above 50 — though some stay a branch (oversize)."""
    if formal > 100:
        return rng.choices(("committee", "general_branch"), (8, 2))[0]
    if formal > 50:
        return rng.choices(("general_branch", "branch"), (7, 3))[0]
    return "general_branch" if formal >= 30 and rng.random() < 0.05 else "branch"


def _single_share(org: Org) -> float:
    if org.category == "individual":
        return 0.0
    if org.formal_members >= 3:
        share = 0.3 if org.deregistered else 0.72
    elif org.formal_members > 0 and not org.deregistered:
        share = 0.06
    else:
        return 0.0
    return share / 2 if org.category == "branch" else share


def _joinable(org: Org, rng: random.Random) -> bool:
    if org.category not in _JOINABLE or org.single_po != NO_ORG or org.formal_members > 2:
        return False
    if org.deregistered:
        return rng.random() < 0.05  # stale units of old joint branches
    return org.employees >= 3


def _superior(org: Org, rng: random.Random) -> str:
    body = "工作委员会" if org.town.endswith("街道") else "委员会"
    return rng.choice(
        (
            f"中共{org.county}{org.town}{body}",
            f"中共{org.county}{org.town}两新组织综合委员会",
            f"中共{org.county}两新组织工作委员会",
        )
    )


def build_instructors(
    orgs: list[Org], party_orgs: list[PartyOrg], parks: list[Park], rng: random.Random
) -> list[Instructor]:
    """Instructors for most organizations that need one (docs/rules.md §R5.3 instructor_required), a few
    of them over capacity, plus some organizations that already have a party organization."""
    needing: dict[str, list[int]] = {}
    covered: dict[str, list[int]] = {}
    for i, org in enumerate(orgs):
        if org.deregistered or org.category not in _JOINABLE:
            continue
        if any(party_orgs[k].status == "正常" for k in org.party_orgs):
            covered.setdefault(org.town, []).append(i)
        elif _needs_instructor(org, parks) and rng.random() < 0.7:
            needing.setdefault(org.town, []).append(i)
    instructors: list[Instructor] = []
    for town, units in needing.items():
        county = orgs[units[0]].county
        start = 0
        while start < len(units):
            size = rng.choice((4, 5, 6)) if rng.random() < 0.1 else rng.choice((1, 2, 3))
            assigned = units[start : start + size]
            start += size
            extra = covered.get(town, [])
            if extra and rng.random() < 0.3:
                assigned = assigned + rng.sample(extra, min(len(extra), rng.randint(1, 2)))
            instructors.append(_instructor(len(instructors), town, county, assigned, rng))
    return instructors


def _needs_instructor(org: Org, parks: list[Park]) -> bool:
    return org.employees >= 10 or any(parks[k].is_zone for k in org.parks)


def _instructor(
    k: int, town: str, county: str, assigned: list[int], rng: random.Random
) -> Instructor:
    full_time = rng.random() < 0.3
    unit = rng.choice(
        (
            f"{town}党工委" if town.endswith("街道") else f"{town}党委",
            f"{town}两新组织综合党委",
            f"{county}市场监督管理局",
            f"{county}委组织部",
            f"{town}社会事务办公室",
        )
    )
    position = rng.choice(
        ("党建工作指导员", "组织委员", "科员", "副主任", "退休干部", "专职副书记")
    )
    return Instructor(
        instructor_id=f"I{k + 1:06d}",
        name=person_name(rng),
        unit=unit,
        position=position,
        full_time="专职" if full_time else "兼职",
        phone=phone(rng),
        town=town,
        county=county,
        assigned=assigned,
    )
