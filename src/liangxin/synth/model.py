"""The true world of a synthetic county: towns, parks, organizations, party organizations,
instructors — and what each department extract knows about them.

The values a department reports are stored here (``insured``, ``tax_revenue``,
``survey_revenue``…), so the extracts only format them and the ground truth is derived from
them by the precedence of docs/rules.md §R4.3.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from liangxin.synth.names import NameFactory, OrgName
from liangxin.synth.variation import DEFAULT, Variation

NO_ORG = -1


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    county: str
    lon: float
    lat: float


@dataclass(slots=True)
class Park:
    park_id: str
    name: str
    level: str  # 国家级/省级/市级/县级; "" for buildings, 商圈…
    park_kind: str  # 园区, 楼宇, 商圈, 商城, 商会, 孵化器, 众创空间
    town: str
    county: str
    units: list[int] = field(default_factory=list)  # org indices

    @property
    def is_zone(self) -> bool:
        return self.park_kind == "园区"


@dataclass(slots=True)
class Org:
    org_id: str
    credit_code: str
    label: OrgName
    category: str  # private, individual, branch, public, association, service_org, …
    kind: str  # enterprise / individual_business / social_org
    subtype: str  # social organizations only
    legal_form: str
    county: str
    town: str  # true town (the survey's when the org moved)
    founded: int  # date ordinal
    employees: int
    formal_members: int
    revenue: float  # 万元, what the org really earns
    industry: str = ""
    capital_wan: float | None = None
    legal_rep: str = ""
    reg_status: str = ""
    registry_town: str = ""  # where the registration extracts put it
    address: str = ""  # registered address, in registry_town
    # what the department extracts know
    in_registry: bool = True
    surveyed: bool = False
    operating: str = ""
    has_premises: bool | None = None
    investor_is_member: bool | None = None
    mass_orgs: str = ""
    survey_revenue: float | None = None
    tax_status: str = ""  # "" = not in the tax extract
    tax_revenue: float | None = None
    insurance: int = 0  # 0 not insured, 1 main insurance extract, 2 supplementary list
    insured: int = 0
    insurance_status: str = ""
    staff: int | None = None  # social organization registers only
    parks: tuple[int, ...] = ()  # park indices
    single_po: int = NO_ORG  # party org of which it is the only unit
    party_orgs: tuple[int, ...] = ()
    trap_of: int = NO_ORG

    @property
    def name(self) -> str:
        return self.label.name

    @property
    def deregistered(self) -> bool:
        return self.reg_status in DEREGISTERED


DEREGISTERED = frozenset({"注销", "吊销", "迁出", "撤销"})


@dataclass(slots=True)
class PartyOrg:
    party_org_id: str
    name: str
    type: str  # committee / general_branch / branch / joint_branch
    type_label: str  # as written: 党委, 基层党委, 党总支, 总支部, 党支部, 支部, 联合党支部
    mode: str  # single / joint / affiliated
    mode_label: str  # 单独组建, 联合组建, 行业联建, …
    formal: int
    probationary: int
    status: str  # 正常 / 撤销
    units: list[int]
    secretary: str
    founded: int
    superior: str
    county: str


@dataclass(slots=True)
class Instructor:
    instructor_id: str
    name: str
    unit: str
    position: str
    full_time: str  # 专职 / 兼职
    phone: str
    town: str
    county: str
    assigned: list[int]


@dataclass(slots=True)
class World:
    seed: int
    n_orgs: int
    counties: list[str]
    towns: list[Town]
    parks: list[Park]
    orgs: list[Org]
    party_orgs: list[PartyOrg]
    instructors: list[Instructor]
    names: NameFactory  # keeps every name key, so typos never hit another organization
    variation: Variation = DEFAULT  # how far names stray from the register (variation.py)

    def towns_of(self, county: str) -> list[Town]:
        return [t for t in self.towns if t.county == county]
