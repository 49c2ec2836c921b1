"""Coverage counts per 镇街 from the stored organizations (the user's scope only), with the
same definitions as the engine's metrics.json (docs/rules.md §R6)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce

from liangxin.engine.rates import rate
from liangxin.engine.screen.metrics import COUNTS as ENGINE_COUNTS
from liangxin.engine.screen.metrics import RATES, UNKNOWN_TOWN, Counted
from liangxin.web.core.models import DataVersion
from liangxin.web.core.scope import Scope
from liangxin.web.county.models import NotFoundRow
from liangxin.web.orgs.models import Org

# The counts the pages and the API show, each defined once in the engine.
SHOWN = (
    "total",
    "excluded",
    "single_established",
    "org_covered",
    "work_covered",
    "due",
    "due_established",
    "due_unestablished",
    "above_scale",
    "park_total",
    "park_org_covered",
)


def counted_q(counted: Counted) -> Q:
    """The database filter of the organizations an engine count counts."""
    q = Q(in_scope=counted.in_scope, **dict.fromkeys(counted.flags, True))
    q &= Q(**dict.fromkeys(counted.unless, False))
    if counted.min_members is not None:
        q &= Q(formal_members__gte=counted.min_members)
    return q


COUNTS: dict[str, Q] = {key: counted_q(ENGINE_COUNTS[key]) for key in SHOWN}


def _with_rates(counts: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = dict(counts)
    for key, (numerator, denominator) in RATES.items():
        n, d = counts[numerator], counts[denominator]
        out[key] = rate(n, d)
    return out


def _aggregates() -> dict[str, Count]:
    # aliased: an aggregate may not share its name with a field it filters on
    return {f"n_{key}": Count("pk", filter=q) for key, q in COUNTS.items()}


def _counts(row: dict) -> dict[str, int]:
    return {key: row[f"n_{key}"] for key in COUNTS}


def county_metrics(orgs) -> dict[str, Any]:
    """{"total": {...}, "towns": [{"town": …, ...}, …]} for the organizations given.

    One pass over the organizations: the total is the sum of the 镇街 rows (every organization
    is in exactly one row, those without a 镇街 in UNKNOWN_TOWN's)."""
    rows = (
        orgs.annotate(town_name=Coalesce("town", Value(UNKNOWN_TOWN)))
        .values("town_name")
        .annotate(**_aggregates())
        .order_by("town_name")
    )
    total = dict.fromkeys(COUNTS, 0)
    towns = []
    for row in rows:
        counts = _counts(row)
        for key, n in counts.items():
            total[key] += n
        towns.append({"town": row["town_name"], **_with_rates(counts)})
    towns.sort(key=lambda t: (-(t["org_coverage_rate"]["rate"] or 0), t["town"]))
    return {"total": _with_rates(total), "towns": towns}


def scoped_metrics(user) -> dict[str, Any]:
    """``county_metrics`` of the organizations the user may see, computed once per data version
    and scope: every write to the data (import, re-screening, edit, decision) raises the
    version, so a cached figure is never older than the data; users of one scope share it, and
    a scope's figures are never served to another scope."""
    scope = Scope.of(user)
    digest = hashlib.sha256(repr(scope).encode()).hexdigest()
    key = f"dashboard.metrics:{DataVersion.current()}:{digest}"
    metrics = cache.get(key)
    if metrics is None:
        metrics = county_metrics(Org.objects.restrict(user))
        cache.set(key, metrics, timeout=24 * 3600)
    return metrics


def not_found_by_town(user) -> dict[str, int]:
    """How many source rows of the user's organizations were found in no register, per 镇街
    (those of no known 镇街 under UNKNOWN_TOWN), as the ledger's summary counts them."""
    rows = (
        NotFoundRow.objects.restrict(user)
        .annotate(town_name=Coalesce("town", Value(UNKNOWN_TOWN)))
        .values("town_name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["town_name"]: row["n"] for row in rows}
