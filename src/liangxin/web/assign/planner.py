"""Run the engine's assignment planner on the database: the user's organizations that need an
instructor, the instructors they can see, the policy's capacity."""

from __future__ import annotations

import polars as pl

from liangxin.engine.labels import ORG_KIND_LABELS
from liangxin.engine.plan import Plan, plan_assignments
from liangxin.engine.plan.assign import DEMAND_SCHEMA, INSTRUCTOR_SCHEMA
from liangxin.web.assign.models import Assignment
from liangxin.web.core.policy import current_policy
from liangxin.web.core.scope import CHANGE
from liangxin.web.instructors.models import Instructor
from liangxin.web.orgs.models import Org


def demand_frame(user) -> pl.DataFrame:
    """Organizations the user may change that need an instructor and have none (not even an
    assignment waiting for the next screening)."""
    orgs = (
        Org.objects.restrict(user, CHANGE)
        .filter(in_scope=True, instructor_required=True, work_covered=False)
        .exclude(pk__in=Assignment.objects.values("org"))
        .values_list("org_id", "name", "town", "kind", "industry", "org_covered")
    )
    rows = [
        (
            org_id,
            name,
            town,
            ORG_KIND_LABELS["social_org"] if kind == "social_org" else industry,
            covered,
        )
        for org_id, name, town, kind, industry, covered in orgs
    ]
    return pl.DataFrame(rows, schema=DEMAND_SCHEMA, orient="row")


def instructor_frame(user) -> pl.DataFrame:
    """Visible instructors with their load: the engine's counts plus accepted assignments the
    engine has not seen yet."""
    linked = set(Instructor.orgs.through.objects.values_list("instructor_id", "org_id"))
    waiting: dict[tuple[str, bool], int] = {}
    for ins_pk, entity_id, org_pk, covered in Assignment.objects.values_list(
        "instructor_id", "instructor_entity_id", "org_id", "org__org_covered"
    ):
        if (ins_pk, org_pk) not in linked:
            waiting[(entity_id, covered)] = waiting.get((entity_id, covered), 0) + 1
    rows = []
    for ins in Instructor.objects.restrict(user).order_by("entity_id"):
        rows.append(
            (
                ins.entity_id,
                ins.name,
                ins.unit,
                ins.full_time,
                ins.town,
                (ins.orgs_with_party_org or 0) + waiting.get((ins.entity_id, True), 0),
                (ins.orgs_without_party_org or 0) + waiting.get((ins.entity_id, False), 0),
            )
        )
    return pl.DataFrame(rows, schema=INSTRUCTOR_SCHEMA, orient="row")


def propose(user) -> Plan:
    policy = current_policy()
    return plan_assignments(demand_frame(user), instructor_frame(user), policy.instructor_capacity)
