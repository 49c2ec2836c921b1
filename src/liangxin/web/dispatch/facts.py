"""Accepted assignments as engine input: each adds an organization to an instructor's units.

Pure data once read: ``apply_assignments`` changes the reconciled instructor table only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass

import polars as pl

from liangxin.engine.reconcile import Reconciled
from liangxin.engine.schema import Kind


@dataclass(frozen=True)
class AssignmentFact:
    entity_id: str  # the instructor
    org_id: str


def assignment_facts(instructors: Collection[str] | None = None) -> list[AssignmentFact]:
    """Every accepted assignment, or those of the instructors with these entity ids."""
    from liangxin.web.dispatch.models import Assignment

    accepted = Assignment.objects.all()
    if instructors is not None:
        accepted = accepted.filter(instructor_entity_id__in=instructors)
    return [
        AssignmentFact(entity_id=e, org_id=o)
        for e, o in accepted.values_list("instructor_entity_id", "org__org_id")
    ]


def apply_assignments(reconciled: Reconciled, facts: list[AssignmentFact]) -> Reconciled:
    """The instructors' units, plus the organizations assigned in the browser."""
    instructors = reconciled.entities.get(Kind.INSTRUCTOR)
    if instructors is None or not facts:
        return reconciled
    added = (
        pl.DataFrame(
            {"entity_id": [f.entity_id for f in facts], "_org": [f.org_id for f in facts]},
            schema={"entity_id": pl.String, "_org": pl.String},
        )
        .group_by("entity_id")
        .agg(_added=pl.col("_org"))
    )
    instructors = (
        instructors.join(added, on="entity_id", how="left")
        .with_columns(
            unit_org_ids=pl.concat_list(
                pl.col("unit_org_ids").fill_null([]), pl.col("_added").fill_null([])
            ).list.unique(maintain_order=True)
        )
        .drop("_added")
    )
    entities = {**reconciled.entities, Kind.INSTRUCTOR: instructors}
    return dataclasses.replace(reconciled, entities=entities)
