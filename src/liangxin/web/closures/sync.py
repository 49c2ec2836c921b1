"""Keep the 销号 tasks in step with the engine: open new ones, close met ones, reopen.

Called inside the transaction of an import commit or a re-screening, after the data is
written, with the engine's open tasks (``liangxin.engine.screen.tasks``) of that run.
"""

from __future__ import annotations

import datetime
from typing import Any

import polars as pl
from django.utils import timezone

from liangxin.engine.screen.tasks import TASK_SCHEMA
from liangxin.web.audit.actions import Action, entry, log_many
from liangxin.web.closures.models import Closure, TaskSnapshot
from liangxin.web.core.bulk import chunks, insert
from liangxin.web.orgs.models import org_pks
from liangxin.web.regions.places import Placer

CHUNK = 500
# The organization's state kept as the evidence of a closure.
STATE_FIELDS = (
    "name",
    "in_scope",
    "exclusion_reason",
    "above_scale",
    "single_established",
    "party_org_type",
    "single_party_org_id",
    "org_covered",
    "work_covered",
    "due_unestablished",
    "park_uncovered",
    "instructor_required",
)
ENGINE_FIELDS = ("task_kind", "task", "subject", "subject_id", "name", "kind", "town", "reason")


def task_rows(tasks: pl.DataFrame) -> list[dict[str, Any]]:
    """The engine's task table as JSON-ready rows (for a snapshot)."""
    return tasks.select(
        *ENGINE_FIELDS, "task_id", pl.col("deadline").dt.strftime("%Y-%m-%d")
    ).to_dicts()


def stage(batch, tasks: pl.DataFrame) -> None:
    TaskSnapshot.objects.update_or_create(batch=batch, defaults={"rows": task_rows(tasks)})


def sync_staged(batch, user, note: str) -> dict[str, int]:
    snapshot = TaskSnapshot.objects.filter(batch=batch).first()
    if snapshot is None:  # analysed before 销号 tasks existed: nothing known, change nothing
        return {}
    ref = {"type": "import", "batch": batch.pk, "label": str(batch)}
    result = sync(snapshot.rows, user, note, ref)
    snapshot.delete()
    return result


def sync_screened(
    tasks: pl.DataFrame, user, note: str, ref: dict[str, Any], task_ids: set[str] | None = None
) -> dict[str, int]:
    """``task_ids``: a re-screening of part of the county decides only these tasks (``tasks``
    holds the open ones among them); the others stay as they are."""
    return sync(task_rows(tasks), user, note, ref, task_ids)


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = {name: TASK_SCHEMA[name] for name in (*ENGINE_FIELDS, "task_id")}
    return pl.DataFrame(rows, schema={**schema, "deadline": pl.String}, orient="row").with_columns(
        pl.col("deadline").str.to_date("%Y-%m-%d")
    )


def _stored(task_ids: set[str] | None) -> pl.DataFrame:
    """Every task's (or those of ``task_ids``) pk, id and status, and for county-level tasks
    marked done by hand the deadline they were done for (null otherwise)."""
    if task_ids is not None:
        values = []
        for chunk in chunks(sorted(task_ids), CHUNK):
            values += Closure.objects.filter(task_id__in=chunk).values_list(
                "pk", "task_id", "status"
            )
        manual = {}  # a part of the county decides no county-level task
    else:
        values = list(Closure.objects.values_list("pk", "task_id", "status"))
        manual = dict(
            Closure.objects.filter(
                subject="county", status=Closure.Status.CLOSED, evidence__manual=True
            ).values_list("pk", "deadline")
        )
    return pl.DataFrame(
        [(pk, task_id, status, manual.get(pk)) for pk, task_id, status in values],
        schema={"pk": pl.Int64, "task_id": pl.String, "status": pl.String,
                "done_for": pl.Date},
        orient="row",
    )  # fmt: skip


def sync(
    rows: list[dict[str, Any]],
    user,
    note: str,
    ref: dict[str, Any],
    task_ids: set[str] | None = None,
) -> dict[str, int]:
    """Open, update, close and reopen tasks so that the open ones are the engine's (among
    ``task_ids`` when given)."""
    found = _frame(rows)
    stored = _stored(task_ids)
    joined = found.join(stored, on="task_id", how="full", coalesce=True)
    new = joined.filter(pl.col("pk").is_null())
    reopened = joined.filter(
        pl.col("pk").is_not_null()
        & pl.col("task_kind").is_not_null()
        & (pl.col("status") == Closure.Status.CLOSED)
        # a county-level task marked done stays done until a later period's deadline
        & (pl.col("done_for").is_null() | (pl.col("deadline") > pl.col("done_for")))
    )
    still_open = joined.filter(
        pl.col("pk").is_not_null()
        & pl.col("task_kind").is_not_null()
        & (pl.col("status") == Closure.Status.OPEN)
    )
    met = joined.filter(pl.col("task_kind").is_null() & (pl.col("status") == Closure.Status.OPEN))

    now = timezone.now()
    org_pk = org_pks(r["subject_id"] for r in rows if r["subject"] == "org")
    placer = Placer()
    audit: list = []
    _create(new.to_dicts(), org_pk, placer, now, note, user, audit)
    _refresh(still_open.to_dicts(), org_pk, placer)
    _reopen(reopened.to_dicts(), org_pk, placer, now, note, user, audit)
    _close(met["pk"].to_list(), now, note, user, ref, audit)
    log_many(audit)
    return {
        "opened": new.height,
        "reopened": reopened.height,
        "closed": met.height,
    }


def _fill(obj: Closure, row: dict[str, Any], org_pk: dict, placer: Placer) -> Closure:
    for name in ENGINE_FIELDS:
        value = row[name]
        setattr(obj, name, value if value is not None or name == "subject_id" else "")
    obj.deadline = row["deadline"]
    obj.org_id = org_pk.get(row["subject_id"]) if row["subject"] == "org" else None
    region = placer.place(row["town"])
    obj.region, obj.region_path = region, region.path
    return obj


def _create(rows, org_pk, placer, now, note, user, audit) -> None:
    created = []
    for row in rows:
        obj = _fill(Closure(task_id=row["task_id"]), row, org_pk, placer)
        obj.opened_at, obj.opened_note = now, note[:300]
        created.append(obj)
    insert(Closure, created)
    by_id = _by_task_id([c.task_id for c in created])
    for obj in created:
        saved = by_id[obj.task_id]
        audit.append(
            entry(
                Action.CREATE,
                user,
                saved,
                after={"status": saved.status, "deadline": saved.deadline},
                note=f"生成销号任务（{note}）",
            )
        )


def _refresh(rows, org_pk, placer) -> None:
    """Open tasks keep the engine's latest wording, deadline, place and organization."""
    objs = _by_task_id([r["task_id"] for r in rows])
    changed = []
    for row in rows:
        obj = objs[row["task_id"]]
        before = (obj.reason, obj.deadline, obj.region_path, obj.org_id, obj.name, obj.town)
        _fill(obj, row, org_pk, placer)
        if before != (obj.reason, obj.deadline, obj.region_path, obj.org_id, obj.name, obj.town):
            changed.append(obj)
    Closure.objects.bulk_update(
        changed,
        [*ENGINE_FIELDS, "deadline", "org", "region", "region_path"],
        batch_size=CHUNK,
    )


def _reopen(rows, org_pk, placer, now, note, user, audit) -> None:
    objs = _by_task_id([r["task_id"] for r in rows])
    for row in rows:
        obj = _fill(objs[row["task_id"]], row, org_pk, placer)
        before = {"status": obj.status, "closed_note": obj.closed_note}
        obj.status = Closure.Status.OPEN
        obj.opened_at, obj.opened_note = now, note[:300]
        obj.closed_at, obj.closed_by, obj.closed_note, obj.evidence = None, None, "", {}
        audit.append(
            entry(Action.UPDATE, user, obj, before=before, after={"status": obj.status},
                  note=f"数据显示任务重新出现，恢复为未销号（{note}）")
        )  # fmt: skip
    Closure.objects.bulk_update(
        list(objs.values()),
        [*ENGINE_FIELDS, "deadline", "org", "region", "region_path", "status", "opened_at",
         "opened_note", "closed_at", "closed_by", "closed_note", "evidence"],
        batch_size=CHUNK,
    )  # fmt: skip


def _close(pks: list[int], now, note, user, ref, audit) -> None:
    objs = list(Closure.objects.filter(pk__in=pks).select_related("org"))
    for obj in objs:
        state = _state(obj)
        obj.status = Closure.Status.CLOSED
        obj.closed_at, obj.closed_by, obj.closed_note = now, user, note[:300]
        obj.evidence = {
            "ref": ref,
            "by": user.get_username() if user is not None else "",
            "at": now.isoformat(),
            "state": state,
            "summary": evidence_summary(obj, state),
        }
        audit.append(
            entry(
                Action.UPDATE,
                user,
                obj,
                before={"status": Closure.Status.OPEN},
                after={"status": obj.status, "evidence": obj.evidence["summary"]},
                note=f"数据显示任务已完成，自动销号（{note}）",
            )
        )
    Closure.objects.bulk_update(
        objs, ["status", "closed_at", "closed_by", "closed_note", "evidence"], batch_size=CHUNK
    )


def _state(obj: Closure) -> dict[str, Any]:
    if obj.subject != "org":
        return {}
    org = obj.org
    if org is None:
        return {"missing": True}
    return {name: _json(getattr(org, name)) for name in STATE_FIELDS}


def _json(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def evidence_summary(obj: Closure, state: dict[str, Any]) -> str:
    """One sentence saying what the data now shows."""
    if obj.subject == "county":
        return "县级任务已完成"
    if obj.subject == "park":
        return "园区纳入统计单位均已建立或覆盖党组织"
    if state.get("missing"):
        return "该单位已不在台账中"
    if not state.get("in_scope"):
        return f"该单位不再纳入统计（{state.get('exclusion_reason') or '原因见单位信息'}）"
    parts = []
    if state.get("single_established"):
        parts.append(f"已单独建立党组织（{state.get('party_org_type') or '类别未填'}）")
    elif state.get("org_covered"):
        parts.append("已实现党的组织覆盖（联合组建）")
    if state.get("work_covered") and not state.get("org_covered"):
        parts.append("已实现党的工作覆盖")
    if obj.task_kind and not parts:
        parts.append("数据显示该项要求已不再适用（如规模、党员人数变化）")
    return "；".join(parts)


def _by_task_id(task_ids: list[str]) -> dict[str, Closure]:
    found: dict[str, Closure] = {}
    for chunk in chunks(task_ids, CHUNK):
        for obj in Closure.objects.filter(task_id__in=chunk):
            found[obj.task_id] = obj
    return found
