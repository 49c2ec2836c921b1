"""A screening policy: the named, versioned thresholds, limits, targets and deadlines (docs/rules.md §R5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


class PolicyError(ValueError):
    """A policy that cannot be found or read; the message is Chinese and names the key."""


# Which organizations an instructor-capacity limit counts.
CAPACITY_ORGS = ("with_party_org", "without_party_org", "all")
# Which instructors a capacity limit applies to (the 专职/兼职 column of the roster).
CAPACITY_INSTRUCTORS = ("all", "专职", "兼职")
# Who a calendar task falls on; each has a selector in the screening (engine/screen/tasks.py).
TASK_SUBJECTS = (
    "county",  # the county itself (报送台账)
    "park_uncovered",  # orgs in a park without a party organization
    "due_above_scale",  # 应建未建 above-scale enterprises
    "due_other",  # other 应建未建 orgs
    "parks",  # every 园区 whose in-scope units are not all covered
    "instructor_needed",  # instructor_required and not work_covered
)
# Organization subtypes as reconciliation assigns them (docs/rules.md §R2).
SUBTYPES = (
    "association",
    "service_org",
    "foundation",
    "law_firm",
    "accounting_firm",
    "tax_agency",
)
KINDS = ("enterprise", "social_org")


@dataclass(frozen=True)
class Thresholds:
    """Numbers an organization's facts are compared with (docs/rules.md §R5.2, §R5.3)."""

    above_scale_revenue_wan: float  # 规上: revenue ≥ this (万元) …
    above_scale_employees: int  # … or employees ≥ this
    single_required_formal_members: int  # 应单独组建: formal members ≥ this
    focus_enterprise_no_member_employees: int  # 职工 ≥ this and no member (enterprise)
    focus_enterprise_no_org_employees: int  # 职工 ≥ this and no party org (enterprise)
    focus_social_no_member_employees: int  # 从业人员 ≥ this and no member (social org)
    instructor_required_employees: int  # not covered and employees ≥ this → instructor
    fallback_employees_below: int  # enterprise with employees < this → 兜底


@dataclass(frozen=True)
class PartyOrgLimits:
    """Structure checks on party organizations (docs/rules.md §R5.4)."""

    general_branch_members_above: int  # a branch with more members → 党总支
    committee_members_above: int  # … with more members than this → 党委
    undersize_formal_members_below: int  # a single-unit party org with fewer formal members
    joint_branch_max_units: int  # a joint branch covering more units is too wide


@dataclass(frozen=True)
class CapacityLimit:
    """One instructor guides at most ``max_orgs`` organizations of the ``orgs`` kind."""

    orgs: str  # one of CAPACITY_ORGS
    max_orgs: int
    instructors: str  # one of CAPACITY_INSTRUCTORS


@dataclass(frozen=True)
class ExtraCategory:
    """A kind of social organization that must set up its own party organization (shunyi).

    It is recognised by its subtype and, when ``name_pattern`` is set, by a regular expression
    its name must match (private schools and hospitals are 民办非企业单位 named …学校/…医院).
    """

    label: str
    subtype: str
    name_pattern: str | None


@dataclass(frozen=True)
class ExtraSingleRequired:
    min_employees: int
    categories: tuple[ExtraCategory, ...]


@dataclass(frozen=True)
class Target:
    """Coverage rate (0–1) the organizations of one kind should reach."""

    kind: str  # one of KINDS
    org_coverage_rate: float


@dataclass(frozen=True)
class CalendarTask:
    kind: str  # identifier, unique within the policy
    label: str  # the task as officials name it
    subject: str  # one of TASK_SUBJECTS
    month: int
    day: int

    def deadline(self, year: int) -> date:
        return date(year, self.month, self.day)


@dataclass(frozen=True)
class Calendar:
    year: int | None  # campaign year; None: the year of the as-of date
    tasks: tuple[CalendarTask, ...]

    def year_for(self, as_of: date) -> int:
        return self.year if self.year is not None else as_of.year


@dataclass(frozen=True)
class Policy:
    name: str
    version: int
    title: str
    source: str  # the document (seed) the numbers come from
    thresholds: Thresholds
    party_org: PartyOrgLimits
    instructor_capacity: tuple[CapacityLimit, ...]
    single_required_extra: ExtraSingleRequired | None
    targets: tuple[Target, ...]
    calendar: Calendar
