"""镇街 outlines and positions where a county has none: generated from the data, marked as such.

Without an uploaded GeoJSON, each 镇街 gets the Voronoi cell around its centre (the mean of its
organizations' surveyed coordinates), clipped to the county (the hull of every surveyed point,
widened a little). An organization with an address and a 镇街 but no coordinates is placed at
a point inside its 镇街's cell, drawn from its own id (the same point on every visit) and shown as
an estimate (docs/console.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import shapely
import shapely.errors
import shapely.geometry
from shapely.geometry import MultiPoint, Point, mapping

MARGIN_DEG = 0.02  # the county reaches this far beyond its outermost surveyed point (≈ 2 km)
BINS = 1000  # slices of the county for its outline (see ``_hull``)
TRIES = 24  # draws per organization before it falls back to its cell's inner point


def town_cells(points: pl.DataFrame) -> dict[str, shapely.Polygon]:
    """{镇街: polygon} from the surveyed points (columns town, lon, lat)."""
    known = points.filter(pl.col("town").is_not_null() & (pl.col("town") != ""))
    if known.is_empty():
        return {}
    centres = known.group_by("town").agg(pl.col("lon").mean(), pl.col("lat").mean()).sort("town")
    county = _hull(points).buffer(MARGIN_DEG)
    towns = centres["town"].to_list()
    sites = [Point(lon, lat) for lon, lat in zip(centres["lon"], centres["lat"], strict=True)]
    if len(sites) == 1:
        return {towns[0]: county}
    cells = shapely.voronoi_polygons(MultiPoint(sites), extend_to=county.envelope).geoms
    out = {}
    for town, site in zip(towns, sites, strict=True):
        cell = next((c for c in cells if c.contains(site)), None)
        if cell is not None:
            out[town] = cell.intersection(county)
    return out


def _hull(points: pl.DataFrame) -> shapely.Geometry:
    """The convex hull of the points (columns lon, lat) through the highest and lowest point of
    each of BINS slices by longitude and the easternmost and westernmost of each slice by
    latitude: within a slice's width of the exact hull, and a million points take a fraction
    of a second rather than the seconds of making each one a geometry."""
    parts = []
    for along, across in (("lon", "lat"), ("lat", "lon")):
        low, high = points[along].min(), points[along].max()
        width = max((high - low) / BINS, 1e-9)
        slices = points.group_by(((pl.col(along) - low) / width).floor().alias("slice"))
        parts.append(
            slices.agg(
                pl.col("lon", "lat").sort_by(across).first().name.suffix("_0"),
                pl.col("lon", "lat").sort_by(across).last().name.suffix("_1"),
            )
        )
    ends = pl.concat(parts)
    xy = np.vstack(
        [ends.select("lon_0", "lat_0").to_numpy(), ends.select("lon_1", "lat_1").to_numpy()]
    )
    return shapely.multipoints(xy).convex_hull


def outlines_geojson(cells: dict[str, shapely.Polygon]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": town}, "geometry": mapping(cell)}
            for town, cell in cells.items()
        ],
    }


def _draws(pks: np.ndarray, attempt: int) -> tuple[np.ndarray, np.ndarray]:
    """Two numbers in [0, 1) per id and attempt, the same on every run (a SplitMix64 step)."""
    with np.errstate(over="ignore"):
        z = pks.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(attempt + 1)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    low = (z & np.uint64(0xFFFFFFFF)).astype(np.float64) / 2**32
    high = (z >> np.uint64(32)).astype(np.float64) / 2**32
    return low, high


def estimated_positions(missing: pl.DataFrame, cells: dict[str, shapely.Polygon]) -> pl.DataFrame:
    """(pk, lon, lat) inside each organization's 镇街 cell for ``missing`` (columns pk, town)."""
    parts = []
    for (town,), group in missing.group_by("town"):
        cell = cells.get(town)
        if cell is None or cell.is_empty:
            continue
        pks = group["pk"].to_numpy()
        lon = np.full(len(pks), np.nan)
        lat = np.full(len(pks), np.nan)
        x0, y0, x1, y1 = cell.bounds
        for attempt in range(TRIES):
            todo = np.isnan(lon)
            if not todo.any():
                break
            u, v = _draws(pks[todo], attempt)
            x, y = x0 + u * (x1 - x0), y0 + v * (y1 - y0)
            inside = shapely.contains_xy(cell, x, y)
            idx = np.flatnonzero(todo)[inside]
            lon[idx], lat[idx] = x[inside], y[inside]
        inner = cell.representative_point()
        lon[np.isnan(lon)], lat[np.isnan(lat)] = inner.x, inner.y
        parts.append(pl.DataFrame({"pk": pks, "lon": lon, "lat": lat}))
    if not parts:
        return pl.DataFrame(schema={"pk": pl.Int64, "lon": pl.Float64, "lat": pl.Float64})
    return pl.concat(parts).with_columns(pl.col("pk").cast(pl.Int64))


def cells_of(geojson: dict[str, Any]) -> dict[str, shapely.Geometry]:
    """{镇街: shape} of an uploaded GeoJSON's named polygon features."""
    out: dict[str, shapely.Geometry] = {}
    for feature in geojson.get("features") or []:
        props = feature.get("properties") or {}
        name = str(props.get("name") or props.get("NAME") or props.get("镇街") or "")
        geometry = feature.get("geometry") or {}
        if name and geometry.get("type") in ("Polygon", "MultiPolygon"):
            try:
                out[name] = shapely.geometry.shape(geometry).buffer(0)
            except (ValueError, TypeError, shapely.errors.GEOSException):
                continue
    return out


def placed_points(
    surveyed: pl.DataFrame, missing: pl.DataFrame, uploaded: dict[str, Any] | None
) -> tuple[pl.DataFrame, dict[str, Any] | None]:
    """The points to draw (``estimated`` marks those placed by 镇街) and the outlines: the
    uploaded ones, else generated. ``missing``: columns of ``surveyed`` without lon/lat."""
    cells = cells_of(uploaded) if uploaded else town_cells(surveyed)
    outlines = uploaded if uploaded else (outlines_geojson(cells) if cells else None)
    estimated = estimated_positions(missing.select("pk", "town"), cells)
    placed = missing.drop("lon", "lat").join(estimated, on="pk").select(surveyed.columns)
    points = pl.concat(
        [
            surveyed.with_columns(estimated=pl.lit(False)),
            placed.with_columns(estimated=pl.lit(True)),
        ]
    )
    return points, outlines
