"""The map without an uploaded boundary: generated 镇街 outlines coloured by coverage rate, and
every organization with an address placed (within its 镇街 when it has no coordinates)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
import shapely
from shapely.geometry import Polygon, shape

from liangxin.web.maps.draw import band
from liangxin.web.maps.generated import estimated_positions, town_cells
from liangxin.web.orgs.models import Org


@pytest.mark.parametrize(
    ("towns", "per_town", "spread", "seed"),
    [(3, 30, 0.01, 7), (12, 60, 0.03, 1), (40, 5, 0.05, 2), (5, 1, 0.0, 3)],
)
def test_town_cells_split_the_county_around_each_centre(towns, per_town, spread, seed):
    rng = np.random.default_rng(seed)
    centres = {
        f"镇{i}": (118.3 + rng.uniform(0, 0.6), 34.8 + rng.uniform(0, 0.5)) for i in range(towns)
    }
    rows = [
        (town, lon + dx, lat + dy)
        for town, (lon, lat) in centres.items()
        for dx, dy in rng.normal(0, spread, (per_town, 2))
    ]
    points = pl.DataFrame(rows, schema=["town", "lon", "lat"], orient="row")
    cells = town_cells(points)
    assert set(cells) == set(centres)
    hull = shapely.MultiPoint([(lon, lat) for _, lon, lat in rows]).convex_hull
    union = shapely.union_all(list(cells.values()))
    assert union.contains(hull)  # the whole county is covered
    names = sorted(cells)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert cells[a].intersection(cells[b]).area < 1e-12  # no overlap
    means = points.group_by("town").agg(pl.col("lon").mean(), pl.col("lat").mean())
    for town, lon, lat in means.iter_rows():
        assert cells[town].contains(shapely.Point(lon, lat))


def test_estimates_stay_inside_a_concave_town_and_repeat():
    u_shape = Polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)])
    missing = pl.DataFrame({"pk": list(range(1, 401)), "town": ["甲镇"] * 400})
    first = estimated_positions(missing, {"甲镇": u_shape})
    assert first.height == 400
    assert shapely.contains_xy(u_shape, first["lon"].to_numpy(), first["lat"].to_numpy()).all()
    again = estimated_positions(missing.reverse(), {"甲镇": u_shape}).sort("pk")
    assert again.equals(first.sort("pk"))
    # spread over the town, not piled on one point
    assert first.select(pl.struct("lon", "lat").n_unique()).item() == 400


@pytest.mark.django_db
def test_the_map_has_outlines_coloured_by_coverage_and_places_every_addressed_org(client_for):
    page = client_for("admin").get("/map/")
    drawn = page.context["map"]
    in_scope = Org.objects.filter(in_scope=True)
    surveyed = in_scope.exclude(lon__isnull=True).exclude(lat__isnull=True)
    towns = set(surveyed.exclude(town__isnull=True).values_list("town", flat=True))
    assert len(drawn["paths"]) == len(towns) > 1
    labels = {name: rate for name, _, _, rate in drawn["labels"]}
    assert set(labels) == towns
    for town, rate in labels.items():
        of_town = in_scope.filter(town=town)
        assert rate["numerator"] == of_town.filter(org_covered=True).count()
        assert rate["denominator"] == of_town.count()
    fills = {path["fill"] for path in drawn["paths"]}
    assert fills == {band(rate) for rate in labels.values()}
    html = page.content.decode()
    for rate in labels.values():
        assert f"（{rate['numerator']}/{rate['denominator']}）" in html

    placeable = in_scope.filter(town__in=towns).exclude(address__isnull=True).exclude(address="")
    expected = set(surveyed.values_list("pk", flat=True)) | set(
        placeable.values_list("pk", flat=True)
    )
    points = {p["pk"]: p for p in drawn["points"]}
    assert set(points) == expected
    estimated = [pk for pk, p in points.items() if p["estimated"]]
    assert estimated and drawn["estimated"] == len(estimated)
    assert 'data-estimated="1"' in html


@pytest.mark.django_db
def test_estimated_points_fall_in_their_own_generated_town(client_for):
    from liangxin.web.maps.draw import split_points
    from liangxin.web.maps.generated import outlines_geojson, placed_points

    rows = list(
        Org.objects.filter(in_scope=True).values_list(
            "pk", "name", "town", "lon", "lat", "org_covered", "work_covered", "address"
        )
    )
    surveyed, missing = split_points(rows)
    points, geojson = placed_points(surveyed, missing, None)
    cells = {f["properties"]["name"]: shape(f["geometry"]) for f in geojson["features"]}
    assert geojson == outlines_geojson(town_cells(surveyed))
    estimated = points.filter(pl.col("estimated"))
    for town, group in estimated.group_by("town"):
        inside = shapely.contains_xy(
            cells[town[0]], group["lon"].to_numpy(), group["lat"].to_numpy()
        )
        assert inside.all(), town
