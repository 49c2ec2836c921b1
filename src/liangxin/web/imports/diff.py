"""Compare the rows the engine proposes with the rows stored."""

from __future__ import annotations

from collections import Counter
from typing import Any

from liangxin.web.imports.models import Change
from liangxin.web.imports.specs import RECORD, SPECS, Spec

Rows = dict[str, dict[str, Any]]


def diff(spec: Spec, stored: Rows, proposed: Rows) -> tuple[list[Change], int]:
    """(unsaved changes, number of unchanged objects)."""
    changes, unchanged = [], 0
    for key, after in proposed.items():
        before = stored.get(key)
        if before is None:
            changes.append(_change(spec, key, Change.Action.NEW, None, after))
        elif before != after:
            changes.append(_change(spec, key, Change.Action.UPDATED, before, after))
        else:
            unchanged += 1
    for key, before in stored.items():
        if key not in proposed:
            changes.append(_change(spec, key, Change.Action.REMOVED, before, None))
    return changes, unchanged


def diff_all(
    proposal: dict[str, Rows], records: Rows
) -> tuple[list[Change], dict[str, dict[str, int]]]:
    """``records``: the stored source rows (``inputs.stored_records``), already read."""
    changes: list[Change] = []
    counts: dict[str, dict[str, int]] = {}
    for spec in SPECS:
        stored = records if spec is RECORD else dict(spec.current_rows())
        spec_changes, unchanged = diff(spec, stored, proposal[spec.name])
        changes += spec_changes
        tally = Counter(c.action for c in spec_changes)
        counts[spec.name] = {a.value: tally.get(a.value, 0) for a in Change.Action}
        counts[spec.name]["unchanged"] = unchanged
    return changes, counts


def _change(spec: Spec, key: str, action: str, before: dict | None, after: dict | None) -> Change:
    row = after or before or {}
    named = row.get("values", {}) if spec is RECORD else row
    label = next((named[k] for k in ("name", "party_org_name", "park_name") if named.get(k)), key)
    return Change(
        model=spec.name, key=key, action=action, label=str(label)[:300], before=before, after=after
    )
