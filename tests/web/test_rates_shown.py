"""Every rate a page shows is the exact fraction rounded once, half-up (engine/rates.py): the
首页 table and chart data, the 销号 statistics and the read API, on the imported county."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

pytestmark = pytest.mark.django_db

COUNTS_THEN_RATE = re.compile(r"(\d+)/(\d+)（(\d+\.\d%|—)）")
RATE_THEN_COUNTS = re.compile(r"(\d+\.\d%|—)（(\d+)/(\d+)）")


def exact(numerator: int, denominator: int) -> str:
    if not denominator:
        return "—"
    value = Decimal(100 * numerator) / Decimal(denominator)
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def test_home_table_and_chart_show_rates_rounded_once(client_for):
    html = client_for("admin").get("/").content.decode()
    shown = COUNTS_THEN_RATE.findall(html)
    assert len(shown) >= 10  # both rates of every 镇街
    for n, d, rate in shown:
        assert rate == exact(int(n), int(d))
    data = re.search(r'<script id="coverage-data" type="application/json">(.*?)</script>', html)
    chart = json.loads(data.group(1))
    assert chart
    for town in chart:
        for key in ("org", "work"):
            r = town[key]
            assert r["percent"] == exact(r["numerator"], r["denominator"])


def test_closure_statistics_show_rates_rounded_once(client_for):
    html = client_for("admin").get("/closures/").content.decode()
    shown = RATE_THEN_COUNTS.findall(html)
    assert len(shown) >= 3
    for rate, n, d in shown:
        assert rate == exact(int(n), int(d))


def test_the_api_carries_the_shown_percent(client_for):
    body = client_for("admin").get("/api/metrics/").json()

    def rates(node):
        if isinstance(node, dict):
            if "numerator" in node:
                yield node
            else:
                for value in node.values():
                    yield from rates(value)
        elif isinstance(node, list):
            for value in node:
                yield from rates(value)

    found = list(rates(body))
    assert len(found) >= 10
    for r in found:
        expected = exact(r["numerator"], r["denominator"])
        assert r["percent"] == (None if expected == "—" else expected)
