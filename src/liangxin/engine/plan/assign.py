"""Instructor assignment planner: a minimum-cost maximum flow (docs/rules.md §R5.5).

Every organization that needs an instructor (``instructor_required`` and not yet work-covered)
should get one, within each instructor's capacity under the policy — separately for
organizations with and without a party organization, and in total — preferring an
instructor of the same 镇街 and one whose department looks after the organization's industry,
and spreading the load (each further assignment of an instructor costs more than the last:
a convex cost, so the flow balances it).

The network::

    source → class(镇街, sector, has party org) → instructor's group (with/without) → instructor
           → slot k of that instructor (cost grows with k) → sink

Organizations of one class are interchangeable (the cost depends only on the class), so they
are one node with the class size as capacity. A class reaches an instructor directly when the
pair is preferred (same 镇街 or matching department), and otherwise through a hub at the
highest pair cost — the same optimum with far fewer arcs. The maximum flow of least cost is
the plan; the demand it cannot carry is reported as unmet, with how many more instructors the
policy's capacity would need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import polars as pl

from liangxin.engine.labels import ORG_KIND_LABELS
from liangxin.engine.normalize.text import squeeze_text
from liangxin.engine.policies import CapacityLimit

GROUPS = ("with_party_org", "without_party_org")

# Which industries (or kinds) a department looks after: a keyword of the instructor's unit
# → a keyword of the organization's sector (its industry, or 社会组织 for a social organization).
DEFAULT_AFFINITY = pl.DataFrame(
    [
        ("民政", ORG_KIND_LABELS["social_org"]),
        ("司法", ORG_KIND_LABELS["social_org"]),
        ("教育", "教育"),
        ("卫生", "卫生"),
        ("卫健", "卫生"),
        ("住房", "建筑"),
        ("住建", "建筑"),
        ("住建", "房地产"),
        ("住房", "房地产"),
        ("商务", "批发和零售"),
        ("商务", "住宿和餐饮"),
        ("工业和信息化", "制造"),
        ("工信", "制造"),
        ("工信", "信息传输"),
        ("交通", "交通运输"),
        ("文化", "文化、体育"),
        ("文旅", "文化、体育"),
        ("农业", "农、林、牧、渔"),
        ("水利", "水利"),
        ("科技", "科学研究"),
        ("金融", "金融"),
    ],
    schema={"unit_keyword": pl.String, "sector_keyword": pl.String},
    orient="row",
)

DEMAND_SCHEMA = {
    "org_id": pl.String,
    "name": pl.String,
    "town": pl.String,
    "sector": pl.String,
    "has_party_org": pl.Boolean,
}
INSTRUCTOR_SCHEMA = {
    "entity_id": pl.String,
    "name": pl.String,
    "unit": pl.String,
    "full_time": pl.String,
    "town": pl.String,
    "orgs_with_party_org": pl.Int64,
    "orgs_without_party_org": pl.Int64,
}
ASSIGNMENT_SCHEMA = {
    "org_id": pl.String,
    "org_name": pl.String,
    "org_town": pl.String,
    "entity_id": pl.String,
    "instructor": pl.String,
    "instructor_town": pl.String,
    "same_town": pl.Boolean,
    "same_industry": pl.Boolean,
    "pair_cost": pl.Int64,
    "reason": pl.String,
}


@dataclass(frozen=True)
class Weights:
    """Integer costs. A pair costs ``base``, plus ``other_town`` across 镇街, plus
    ``other_industry`` when the department does not look after the sector; the k-th
    organization an instructor guides in total costs ``load * k`` more (convex)."""

    base: int = 10
    other_town: int = 60
    other_industry: int = 20
    load: int = 4

    def pair(self, same_town: bool, same_industry: bool) -> int:
        return (
            self.base
            + (0 if same_town else self.other_town)
            + (0 if same_industry else self.other_industry)
        )

    def load_cost(self, before: int, added: int) -> int:
        """The cost of ``added`` more organizations for an instructor guiding ``before``."""
        return self.load * sum(range(before + 1, before + added + 1))


@dataclass(frozen=True)
class Plan:
    assignments: pl.DataFrame  # ASSIGNMENT_SCHEMA, one row per proposed assignment
    unmet: pl.DataFrame  # DEMAND_SCHEMA rows no capacity is left for
    loads: pl.DataFrame  # per instructor: capacity, load before and after
    demand: int
    # how many more instructors the unmet demand needs; None: the policy allows none any more
    instructors_needed: int | None
    cost: int  # the plan's total cost (pair costs + load costs)

    @property
    def assigned(self) -> int:
        return self.assignments.height

    def summary(self) -> str:
        text = f"需选派指导员的单位{self.demand}家，本方案安排{self.assigned}家"
        if self.unmet.height:
            text += f"，另有{self.unmet.height}家因指导员指导能力已满无法安排"
            if self.instructors_needed is None:
                text += "（按政策的指导能力上限，新选派的指导员也不能联系这类单位）"
            else:
                text += f"，还需选派 {self.instructors_needed} 名指导员"
        return text


def demand_table(orgs: pl.DataFrame) -> pl.DataFrame:
    """The screened organizations that need an instructor and have none yet."""
    need = orgs.filter(pl.col("in_scope") & pl.col("instructor_required") & ~pl.col("work_covered"))
    return need.select(
        "org_id",
        "name",
        "town",
        sector=pl.when(pl.col("kind") == "social_org")
        .then(pl.lit(ORG_KIND_LABELS["social_org"]))
        .otherwise(pl.col("industry")),
        has_party_org=pl.col("org_covered"),
    ).cast(DEMAND_SCHEMA)


def _limit(instructors: pl.DataFrame, limits: Sequence[CapacityLimit], orgs: str) -> pl.Expr:
    """The tightest limit of this kind applying to each instructor (null: none applies)."""
    kind = squeeze_text(pl.col("full_time"))
    applying = [
        pl.when(pl.lit(lim.instructors == "all") | (kind == lim.instructors).fill_null(False))
        .then(pl.lit(lim.max_orgs))
        .otherwise(pl.lit(None, dtype=pl.Int64))
        for lim in limits
        if lim.orgs == orgs
    ]
    if not applying:
        return pl.lit(None, dtype=pl.Int64)
    return pl.min_horizontal(applying)


def remaining_capacity(
    instructors: pl.DataFrame, limits: Sequence[CapacityLimit], default_max_orgs: int = 10
) -> pl.DataFrame:
    """Per instructor: the policy's limits and how many more organizations fit in each group.

    Each group (with / without a party organization) has its own limit, and there may be a
    limit on the total. Without a total limit, the two group limits bound the total when both
    apply; otherwise the total is ``default_max_orgs`` (seed 001 第二十条: about ten). A group
    already over its limit takes no more, but does not take room from the other group.
    """
    frame = instructors.cast(INSTRUCTOR_SCHEMA).with_columns(
        pl.col("orgs_with_party_org", "orgs_without_party_org").fill_null(0),
        max_with=_limit(instructors, limits, "with_party_org"),
        max_without=_limit(instructors, limits, "without_party_org"),
        max_total=_limit(instructors, limits, "all"),
    )
    frame = frame.with_columns(
        load=pl.col("orgs_with_party_org") + pl.col("orgs_without_party_org"),
        free_with=(pl.col("max_with") - pl.col("orgs_with_party_org")).clip(lower_bound=0),
        free_without=(pl.col("max_without") - pl.col("orgs_without_party_org")).clip(lower_bound=0),
    )
    by_groups = pl.col("free_with") + pl.col("free_without")
    default = (pl.lit(default_max_orgs) - pl.col("load")).clip(lower_bound=0)
    frame = frame.with_columns(
        free_total=pl.when(pl.col("max_total").is_not_null())
        .then((pl.col("max_total") - pl.col("load")).clip(lower_bound=0))
        .when(by_groups.is_not_null())
        .then(by_groups)
        .otherwise(default)
    )
    return frame.with_columns(
        free_with=pl.min_horizontal(pl.coalesce("free_with", "free_total"), "free_total"),
        free_without=pl.min_horizontal(pl.coalesce("free_without", "free_total"), "free_total"),
    )


def _pairs(
    classes: pl.DataFrame, capacity: pl.DataFrame, affinity: pl.DataFrame, weights: Weights
) -> pl.DataFrame:
    """Every class × instructor pair with its cost (vectorised)."""
    matched = (
        capacity.select("entity_id", "unit")
        .join(affinity, how="cross")
        .filter(pl.col("unit").str.contains(pl.col("unit_keyword"), literal=True))
        .select("entity_id", "sector_keyword")
    )
    pairs = classes.select("class", "town", "sector", "has_party_org").join(
        capacity.select("entity_id", i_town="town"), how="cross"
    )
    affine = (
        pairs.select("class", "sector", "entity_id")
        .join(matched, on="entity_id")
        .filter(pl.col("sector").str.contains(pl.col("sector_keyword"), literal=True))
        .select("class", "entity_id")
        .unique()
        .with_columns(same_industry=pl.lit(True))
    )
    return (
        pairs.join(affine, on=["class", "entity_id"], how="left")
        .with_columns(
            same_town=(pl.col("town") == pl.col("i_town")).fill_null(False),
            same_industry=pl.col("same_industry").fill_null(False),
        )
        .with_columns(
            cost=pl.lit(weights.base)
            + pl.when(pl.col("same_town")).then(0).otherwise(weights.other_town)
            + pl.when(pl.col("same_industry")).then(0).otherwise(weights.other_industry)
        )
    )


def _network(classes, capacity, pairs, weights: Weights) -> nx.DiGraph:
    graph = nx.DiGraph()
    worst = weights.pair(False, False)
    for row in classes.iter_rows(named=True):
        graph.add_edge("source", ("class", row["class"]), capacity=row["size"], weight=0)
        group = GROUPS[0] if row["has_party_org"] else GROUPS[1]
        graph.add_edge(("class", row["class"]), ("hub", group), weight=worst)
    for row in capacity.iter_rows(named=True):
        j = row["entity_id"]
        for group, free in zip(GROUPS, (row["free_with"], row["free_without"]), strict=True):
            if free > 0:
                graph.add_edge(("hub", group), ("group", j, group), weight=0)
                graph.add_edge(("group", j, group), ("inst", j), capacity=free, weight=0)
        for k in range(1, row["free_total"] + 1):
            # the k-th new organization makes load + k in total: marginal cost grows with k
            graph.add_edge(("inst", j), ("slot", j, k), capacity=1, weight=0)
            graph.add_edge(
                ("slot", j, k), "sink", capacity=1, weight=weights.load * (row["load"] + k)
            )
    cheaper = pairs.filter(pl.col("cost") < worst)
    for row in cheaper.iter_rows(named=True):
        group = GROUPS[0] if row["has_party_org"] else GROUPS[1]
        target = ("group", row["entity_id"], group)
        if graph.has_node(target):
            graph.add_edge(("class", row["class"]), target, weight=row["cost"])
    return graph


def _class_to_instructor(flow: dict, classes: pl.DataFrame) -> list[tuple[int, str, int]]:
    """(class, instructor, count) from the flow; flows through a hub are paired greedily
    (every such pair costs the same)."""
    out = []
    hub_in: dict[str, list[list]] = {g: [] for g in GROUPS}
    for c in classes["class"].to_list():
        for target, amount in flow.get(("class", c), {}).items():
            if amount <= 0:
                continue
            if target[0] == "hub":
                hub_in[target[1]].append([c, amount])
            else:
                out.append((c, target[1], amount))
    for group in GROUPS:
        hub_out = [
            [target[1], amount]
            for target, amount in flow.get(("hub", group), {}).items()
            if amount > 0
        ]
        hub_out.sort()
        i = 0
        for item in hub_in[group]:
            while item[1] > 0:
                take = min(item[1], hub_out[i][1])
                out.append((item[0], hub_out[i][0], take))
                item[1] -= take
                hub_out[i][1] -= take
                if hub_out[i][1] == 0:
                    i += 1
    return out


def plan_assignments(
    demand: pl.DataFrame,
    instructors: pl.DataFrame,
    limits: Sequence[CapacityLimit],
    *,
    affinity: pl.DataFrame = DEFAULT_AFFINITY,
    weights: Weights = Weights(),
    default_max_orgs: int = 10,
) -> Plan:
    """Propose an instructor for each organization of ``demand`` (see the module docstring)."""
    demand = demand.cast(DEMAND_SCHEMA).sort("org_id")
    capacity = remaining_capacity(instructors, limits, default_max_orgs).sort("entity_id")
    classes = (
        demand.group_by("town", "sector", "has_party_org")
        .agg(size=pl.len(), org_ids=pl.col("org_id").sort())
        .sort("town", "sector", "has_party_org", nulls_last=True)
        .with_row_index("class")
    )
    pairs = _pairs(classes, capacity, affinity, weights)
    graph = _network(classes, capacity, pairs, weights)
    solvable = graph.has_node("source") and graph.has_node("sink")
    flow = nx.max_flow_min_cost(graph, "source", "sink") if solvable else {}
    chosen = pl.DataFrame(
        _class_to_instructor(flow, classes),
        schema={"class": pl.UInt32, "entity_id": pl.String, "count": pl.Int64},
        orient="row",
    ).sort("class", "entity_id")
    assignments = _assign_orgs(classes, chosen, pairs, capacity, demand)
    unmet = demand.join(assignments.select("org_id"), on="org_id", how="anti")
    loads = _loads(capacity, assignments)
    return Plan(
        assignments=assignments,
        unmet=unmet,
        loads=loads,
        demand=demand.height,
        instructors_needed=_instructors_needed(unmet, limits, default_max_orgs),
        cost=int(assignments["pair_cost"].sum())
        + sum(weights.load_cost(b, a) for b, a in loads.select("load", "added").iter_rows()),
    )


def _assign_orgs(classes, chosen, pairs, capacity, demand) -> pl.DataFrame:
    """Hand out each class's organizations (in org_id order) to its instructors' counts."""
    members = (
        classes.select("class", org_id="org_ids")
        .explode("org_id")
        .with_columns(rank=pl.int_range(pl.len()).over("class"))
    )
    slots = (
        chosen.with_columns(start=pl.col("count").cum_sum().over("class") - pl.col("count"))
        .with_columns(rank=pl.int_ranges("start", pl.col("start") + pl.col("count")))
        .explode("rank")
        .select("class", "entity_id", pl.col("rank").cast(pl.Int64))
    )
    joined = (
        members.with_columns(pl.col("rank").cast(pl.Int64))
        .join(slots, on=["class", "rank"])
        .join(pairs.select("class", "entity_id", "same_town", "same_industry", "cost"),
              on=["class", "entity_id"])
        .join(demand.select("org_id", org_name="name", org_town="town"), on="org_id")
        .join(capacity.select("entity_id", instructor="name", instructor_town="town"),
              on="entity_id")
    )  # fmt: skip
    reason = pl.concat_str(
        pl.when(pl.col("same_town")).then(pl.lit("同一镇街")).otherwise(pl.lit("跨镇街")),
        pl.when(pl.col("same_industry")).then(pl.lit("，所在部门主管该行业")).otherwise(pl.lit("")),
    )
    return (
        joined.select(
            "org_id",
            "org_name",
            "org_town",
            "entity_id",
            "instructor",
            "instructor_town",
            "same_town",
            "same_industry",
            pair_cost="cost",
            reason=reason,
        )  # fmt: skip
        .cast(ASSIGNMENT_SCHEMA)
        .sort("org_id")
    )


def _loads(capacity: pl.DataFrame, assignments: pl.DataFrame) -> pl.DataFrame:
    added = assignments.group_by("entity_id").agg(added=pl.len().cast(pl.Int64))
    return (
        capacity.join(added, on="entity_id", how="left")
        .with_columns(pl.col("added").fill_null(0))
        .with_columns(load_after=pl.col("load") + pl.col("added"))
        .select(
            "entity_id",
            "name",
            "unit",
            "full_time",
            "town",
            "max_with",
            "max_without",
            "max_total",
            "orgs_with_party_org",
            "orgs_without_party_org",
            "load",
            "added",
            "load_after",
        )  # fmt: skip
    )


def _instructors_needed(
    unmet: pl.DataFrame, limits: Sequence[CapacityLimit], default_max_orgs: int
) -> int | None:
    """New instructors (with nothing yet) needed to take the unmet demand: the most that any
    of the policy's limits requires."""
    if unmet.height == 0:
        return 0
    new = pl.DataFrame(
        {"entity_id": ["new"], "full_time": [None], "orgs_with_party_org": [0],
         "orgs_without_party_org": [0]},
        schema={k: INSTRUCTOR_SCHEMA[k] for k in
                ("entity_id", "full_time", "orgs_with_party_org", "orgs_without_party_org")},
    )  # fmt: skip
    for column in ("name", "unit", "town"):
        new = new.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    cap = remaining_capacity(new.select(INSTRUCTOR_SCHEMA.keys()), limits, default_max_orgs).row(
        0, named=True
    )
    with_org = int(unmet["has_party_org"].sum())
    without = unmet.height - with_org
    need = [(unmet.height, cap["free_total"])]
    need += [
        (n, free) for n, free in ((with_org, cap["free_with"]), (without, cap["free_without"]))
    ]
    if any(n and not free for n, free in need):
        return None
    return max(math.ceil(n / free) for n, free in need if n)
