"""Planning on top of a screened county: the instructor assignment planner (``assign``) and
progress projections (``projection``)."""

from liangxin.engine.plan.assign import (
    DEFAULT_AFFINITY,
    Plan,
    Weights,
    demand_table,
    plan_assignments,
    remaining_capacity,
)
from liangxin.engine.plan.projection import project, sentence

__all__ = [
    "DEFAULT_AFFINITY",
    "Plan",
    "Weights",
    "demand_table",
    "plan_assignments",
    "project",
    "remaining_capacity",
    "sentence",
]
