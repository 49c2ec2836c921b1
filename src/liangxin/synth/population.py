"""The organizations of the county: kinds, legal forms, sizes, names, codes and look-alike traps."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from liangxin.synth import pools
from liangxin.synth.codes import CodeFactory
from liangxin.synth.geography import address, town_weight
from liangxin.synth.model import Org, Town
from liangxin.synth.names import (
    INDUSTRY_OF_TRADE,
    NameFactory,
    OrgName,
    person_name,
    short_region,
    town_short,
)
from liangxin.synth.variation import DEFAULT, Variation

AS_OF = dt.date(2020, 5, 31)
_USCC_START = dt.date(2015, 10, 1).toordinal()  # organizations founded later have "MA…" codes


@dataclass(frozen=True)
class Category:
    key: str
    kind: str
    subtype: str
    share: float  # of all organizations
    employees: tuple[float, float]  # lognormal mu, sigma
    code_kind: str


CATEGORIES = (
    Category("private", "enterprise", "", 0.72, (1.57, 1.4), "enterprise"),
    Category("individual", "individual_business", "", 0.07, (0.7, 0.6), "individual_business"),
    Category("branch", "enterprise", "", 0.04, (1.8, 1.2), "enterprise"),
    Category("public", "enterprise", "", 0.02, (2.6, 1.3), "enterprise"),
    Category("association", "social_org", "association", 0.055, (0.8, 0.9), "association"),
    Category("service_org", "social_org", "service_org", 0.06, (2.0, 1.0), "service_org"),
    Category("foundation", "social_org", "foundation", 0.005, (0.5, 0.6), "foundation"),
    Category("law_firm", "social_org", "law_firm", 0.015, (2.0, 0.7), "law_firm"),
    Category("accounting_firm", "social_org", "accounting_firm", 0.01, (2.0, 0.7), "enterprise"),
    Category("tax_agency", "social_org", "tax_agency", 0.005, (1.6, 0.6), "enterprise"),
)
CATEGORY = {c.key: c for c in CATEGORIES}

# (企业类型, weight, name suffixes): the legal forms of private enterprises.
PRIVATE_FORMS = (
    ("有限责任公司(自然人投资或控股)", 55, ("有限公司",) * 6 + ("有限责任公司",)),
    ("有限责任公司(自然人独资)", 18, ("有限公司",) * 6 + ("有限责任公司",)),
    ("股份有限公司(非上市、自然人投资或控股)", 3, ("股份有限公司",)),
    ("个人独资企业", 12, ("经营部", "商行", "服务部")),  # 厂/加工厂 for manufacturers
    ("普通合伙企业", 2, ("合伙企业（普通合伙）",)),
    ("有限合伙企业", 3, ("合伙企业（有限合伙）",)),
    ("有限责任公司(外商投资、非独资)", 3, ("有限公司",)),
    ("有限责任公司(台港澳与境内合资)", 4, ("有限公司",)),
)
PUBLIC_FORMS = (("全民所有制", "厂"), ("集体所有制", "厂"), ("有限责任公司(国有独资)", "有限公司"))
BRANCH_FORMS = ("有限责任公司分公司(自然人投资或控股)", "其他股份有限公司分公司(非上市)")
SOCIAL_FORMS = {
    "association": "社会团体",
    "service_org": "民办非企业单位",
    "foundation": "基金会",
    "law_firm": "律师事务所",
    "accounting_firm": "会计师事务所",
    "tax_agency": "税务师事务所",
}
_FIRM_TAILS = {
    "law_firm": ("律师事务所",),
    "accounting_firm": (
        "会计师事务所有限公司",
        "会计师事务所（普通合伙）",
        "会计师事务所（特殊普通合伙）",
    ),
    "tax_agency": ("税务师事务所有限公司",),
}
_PRIVATE_FORM_NAMES = tuple(form for form, _, _ in PRIVATE_FORMS)
_PRIVATE_FORM_WEIGHTS = tuple(weight for _, weight, _ in PRIVATE_FORMS)
_COMPANY_STATUSES = ("存续", "在业", "开业", "注销", "吊销", "迁出")
_COMPANY_STATUS_WEIGHTS = (62, 20, 9, 4, 4, 1)
_CAPITALS = (3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 800, 1000, 2000, 5000, 10000)
_CAPITAL_WEIGHTS = (4, 8, 14, 8, 9, 16, 14, 8, 5, 6, 2, 3, 1.5, 1, 0.5)
LOOKALIKE_SHARE = 0.003  # pairs of different orgs one character apart


def _counts(n: int) -> dict[str, int]:
    counts = {c.key: math.floor(n * c.share) for c in CATEGORIES}
    counts["private"] += n - sum(counts.values())
    return counts


def _employees(cat: Category, rng: random.Random) -> int:
    if cat.key == "private" and rng.random() < 0.02:
        return 0
    mu, sigma = cat.employees
    return max(1, round(rng.lognormvariate(mu, sigma)))


def _formal_members(employees: int, rng: random.Random) -> int:
    """Mostly 0, some 1-2, about one in eight ≥ 3; big organizations have many."""
    if employees >= 100:
        return max(3, round(employees * rng.uniform(0.02, 0.12)))
    if employees < 3:
        return rng.choices((0, 1, 2), (85, 12, 3))[0]
    roll = rng.random()
    if roll < 0.66 - min(employees, 60) / 300:
        return 0
    if roll < 0.86 - min(employees, 60) / 300:
        return rng.choice((1, 1, 2))
    return min(employees, 3 + int(rng.expovariate(1 / 3)))


def _revenue(cat: Category, employees: int, rng: random.Random) -> float:
    """万元, heavy-tailed: a few percent of enterprises reach 2,000万元."""
    per_head = {"individual": 8.0, "association": 3.0, "foundation": 20.0}.get(cat.key, 22.0)
    return round(max(employees, 1) * rng.lognormvariate(math.log(per_head), 1.0), 2)


def _industry(cat: Category, trade: str) -> str:
    if cat.kind == "social_org":
        return ""
    return "批发和零售业" if cat.key == "individual" else INDUSTRY_OF_TRADE[trade]


def _founded(rng: random.Random) -> int:
    years = min(35.0, rng.expovariate(1 / 7))
    return AS_OF.toordinal() - 30 - int(years * 365.25)


class Population:
    """Builds the organizations; names and codes are unique, traps are deliberate."""

    def __init__(
        self, towns: list[Town], rng: random.Random, variation: Variation = DEFAULT
    ) -> None:
        self._towns = towns
        self._rng = rng
        self._variation = variation
        self._authority: dict[int, str] = {}  # org index → area code of a city/province register
        self.names = NameFactory(rng)
        self._codes = CodeFactory(rng)
        self._area = {county: code for county, code in pools.COUNTIES}

    def build(self, n: int) -> list[Org]:
        """Attributes are drawn column by column, then composed into organizations."""
        rng = self._rng
        categories = [CATEGORY[key] for key, count in _counts(n).items() for _ in range(count)]
        rng.shuffle(categories)
        columns = {
            "home": rng.choices(self._towns, [town_weight(t, rng) for t in self._towns], k=n),
            "trade": self.names.trades(n),
            "private_form": rng.choices(_PRIVATE_FORM_NAMES, _PRIVATE_FORM_WEIGHTS, k=n),
            "capital": rng.choices(_CAPITALS, _CAPITAL_WEIGHTS, k=n),
            "company_status": rng.choices(_COMPANY_STATUSES, _COMPANY_STATUS_WEIGHTS, k=n),
            "social_status": rng.choices(("正常", "撤销", "注销"), (95, 2, 3), k=n),
            "founded": [_founded(rng) for _ in range(n)],
            "employees": [_employees(cat, rng) for cat in categories],
        }
        orgs = [
            self._org(i, cat, {k: v[i] for k, v in columns.items()})
            for i, cat in enumerate(categories)
        ]
        self._make_traps(orgs)
        for i, org in enumerate(orgs):
            cat = CATEGORY[org.category]
            area = pools.CITY_AREA_CODE if cat.key == "law_firm" else self._area[org.county]
            area = self._authority.get(i, area)
            org.credit_code = self._codes.issue(cat.code_kind, area, org.founded >= _USCC_START)
        return orgs

    def _org(self, i: int, cat: Category, drawn: dict) -> Org:
        rng = self._rng
        town, trade, employees = drawn["home"], drawn["trade"], drawn["employees"]
        if cat.key == "private":
            form = drawn["private_form"]
        elif cat.key == "public":
            form = rng.choice(PUBLIC_FORMS)[0]
        elif cat.key == "branch":
            form = rng.choices(BRANCH_FORMS, (4, 1))[0]
        elif cat.key == "individual":
            form = "个体工商户"
        else:
            form = SOCIAL_FORMS[cat.key]
        social = cat.kind == "social_org"
        return Org(
            org_id=f"O{i + 1:07d}",
            credit_code="",
            label=self._name(cat.key, form, town, trade),
            category=cat.key,
            kind=cat.kind,
            subtype=cat.subtype,
            legal_form=form,
            county=town.county,
            town=town.name,
            registry_town=town.name,
            founded=drawn["founded"],
            employees=employees,
            formal_members=_formal_members(employees, rng),
            revenue=_revenue(cat, employees, rng),
            industry=_industry(cat, trade),
            capital_wan=None if social or cat.key == "individual" else drawn["capital"],
            legal_rep=person_name(rng),
            reg_status=drawn["social_status" if social else "company_status"],
            address=address(town.county, town.name, rng),
        )

    def _make_traps(self, orgs: list[Org]) -> None:
        """Look-alike twins (one character away from a partner, often in the same 镇街) and
        companies with their own branch in the county; each organization in one trap at most."""
        rng = self._rng
        private = [i for i, o in enumerate(orgs) if o.category == "private"]
        companies = [i for i in private if "公司" in orgs[i].legal_form]
        branches = [i for i, o in enumerate(orgs) if o.category == "branch"]
        used: set[int] = set()

        def draw(pool: list[int]) -> int:
            while True:
                i = rng.choice(pool)
                if i not in used:
                    used.add(i)
                    return i

        for _ in range(max(3, round(len(orgs) * LOOKALIKE_SHARE))):
            p, t = draw(private), draw(private)
            partner, twin = orgs[p], orgs[t]
            partner.trap_of, twin.trap_of = t, p
            twin.label = self.names.lookalike(partner.label, register=True)
            twin.legal_form = partner.legal_form
            if rng.random() < 0.5:
                twin.county, twin.town = partner.county, partner.town
                twin.registry_town = twin.town
                twin.address = address(twin.county, twin.town, rng)
        v = self._variation
        n_branch_traps = min(len(branches) // 2, max(2, round(len(orgs) * v.branch)))
        for _ in range(n_branch_traps):
            b, p = draw(branches), draw(companies)
            orgs[b].trap_of, orgs[p].trap_of = p, b
            orgs[b].label = self.names.branch(orgs[p].label, town_short(orgs[b].town))
        self._hard_negatives(orgs, companies, draw)

    def _hard_negatives(self, orgs: list[Org], companies: list[int], draw) -> None:
        """The same 字号 in another trade, and the same name registered at another level (its
        code then carries the city's or province's area code); half in the partner's 镇街."""
        rng, v = self._rng, self._variation
        levels = {pools.CITY: pools.CITY_AREA_CODE, pools.PROVINCE: pools.PROVINCE_AREA_CODE}
        for share, make in ((v.other_trade, "trade"), (v.other_level, "level")):
            for _ in range(round(len(orgs) * share)):
                p, t = draw(companies), draw(companies)
                partner, twin = orgs[p], orgs[t]
                if make == "trade":
                    label = self.names.other_trade(partner.label)
                else:
                    region = rng.choice(
                        [r for r in (partner.county, *levels) if r != partner.label.region]
                    )
                    label = self.names.other_level(partner.label, region)
                    if label and region in levels:
                        self._authority[t] = levels[region]
                    elif label and partner.label.region in levels:
                        self._authority[p] = levels[partner.label.region]
                if label is None:
                    continue
                partner.trap_of, twin.trap_of = t, p
                twin.label, twin.legal_form = label, partner.legal_form
                trade = self.names.trade_of(label)
                twin.industry = INDUSTRY_OF_TRADE.get(trade, twin.industry)
                if rng.random() < 0.5:
                    twin.county, twin.town = partner.county, partner.town
                    twin.registry_town = twin.town
                    twin.address = address(twin.county, twin.town, rng)

    def _name(self, category: str, form: str, town: Town, trade: str) -> OrgName:
        rng, names, county = self._rng, self.names, town.county
        match category:
            case "private":
                suffixes = next(s for f, _, s in PRIVATE_FORMS if f == form)
                if form == "个人独资企业" and INDUSTRY_OF_TRADE[trade] == "制造业":
                    suffixes = ("厂", "加工厂")
                regions = (county, short_region(county), "临沂", "山东", "")
                return names.company(regions, (35, 10, 15, 10, 30), trade, rng.choice(suffixes))
            case "public":
                suffix = next(s for f, s in PUBLIC_FORMS if f == form)
                return names.local(county, "", trade + suffix)
            case "branch":
                regions = (rng.choice(pools.OUTSIDE_REGIONS), "山东", "临沂")
                parent = names.company(regions, (3, 1, 1), trade, "有限公司")
                place = rng.choice((town_short(town.name), short_region(county)))
                return names.branch(parent, place)
            case "individual":
                tail = rng.choice(pools.SHOP_TRADES) + rng.choice(pools.SHOP_SUFFIXES)
                return names.local(county, town.name, tail)
            case "association":
                return names.association(county, town.name)
            case "service_org":
                return names.local(county, "", rng.choice(pools.SERVICE_ORG_KINDS))
            case "foundation":
                return names.local(
                    county, "", rng.choice(("慈善基金会", "教育基金会", "公益基金会"))
                )
            case _:
                regions = ("山东", "临沂", short_region(county))
                return names.firm(regions, rng.choice(_FIRM_TAILS[category]))
