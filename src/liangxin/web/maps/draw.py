"""The offline map as SVG: organizations by coordinates, coloured by coverage, over the 镇街
outlines (uploaded, or generated: ``generated.py``) filled by each 镇街's coverage rate. No tile server by default: everything is drawn here. When a tile
URL is configured (``LIANGXIN_MAP_TILE_URL``) the map switches to web mercator and lists the tiles
the template draws underneath (``tiles.py``)."""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from liangxin.engine.rates import tenths_of_percent
from liangxin.web.maps.tiles import MAX_ZOOM, TILE, mercator, tiles

WIDTH, HEIGHT, MARGIN = 1000, 700, 20
STATUS = {
    "org": ("已建立党组织", "#c00000"),
    "work": ("已实现工作覆盖（未建党组织）", "#f4a300"),
    "none": ("未覆盖", "#1f4e9c"),
}


POINT_SCHEMA = {"pk": pl.Int64, "name": pl.String, "town": pl.String, "lon": pl.String,
                "lat": pl.String, "org_covered": pl.Boolean, "work_covered": pl.Boolean}  # fmt: skip
# 组织覆盖率 bands of the 镇街 outlines, best first: (lower bound, colour, label)
# Lower bounds in tenths of a percent: a 镇街 is coloured by the rate it is shown with.
COVERAGE_BANDS = (
    (900, "#238b45", "90%及以上"),
    (700, "#74c476", "70%～90%"),
    (500, "#bae4b3", "50%～70%"),
    (300, "#fdd49e", "30%～50%"),
    (0, "#fc8d59", "30%以下"),
)
NO_RATE = "#f0f0f0"


def points_frame(rows: list[tuple]) -> pl.DataFrame:
    """(pk, name, town, lon, lat, org_covered, work_covered) → numeric, valid points only."""
    return split_points(rows)[0]


def split_points(rows: list[tuple]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows (pk, name, town, lon, lat, org_covered, work_covered[, address]) → the points with
    valid coordinates, and the organizations without that have an address and a 镇街."""
    with_address = bool(rows) and len(rows[0]) == len(POINT_SCHEMA) + 1
    schema = {**POINT_SCHEMA, **({"address": pl.String} if with_address else {})}
    frame = pl.DataFrame(rows, schema=schema, orient="row").with_columns(
        pl.col("lon").str.strip_chars().cast(pl.Float64, strict=False),
        pl.col("lat").str.strip_chars().cast(pl.Float64, strict=False),
        status=pl.when(pl.col("org_covered"))
        .then(pl.lit("org"))
        .when(pl.col("work_covered"))
        .then(pl.lit("work"))
        .otherwise(pl.lit("none")),
    )
    valid = (pl.col("lon").is_between(-180, 180) & pl.col("lat").is_between(-90, 90)).fill_null(
        False
    )
    columns = [*POINT_SCHEMA, "status"]
    surveyed = frame.filter(valid).select(columns)
    if not with_address:
        return surveyed, surveyed.clear()
    placeable = (pl.col("address").str.strip_chars() != "") & (pl.col("town") != "")
    return surveyed, frame.filter(~valid & placeable.fill_null(False)).select(columns)


def band(rate: dict[str, Any] | None) -> str:
    """The fill of a rate ({numerator, denominator, …}), by its rounded, shown value."""
    if not rate or not rate["denominator"]:
        return NO_RATE
    shown = tenths_of_percent(rate["numerator"], rate["denominator"])
    return next(colour for bound, colour, _ in COVERAGE_BANDS if shown >= bound)


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return [ring for ring in coords]
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []


def outlines(geojson: dict[str, Any] | None) -> list[tuple[str, list[list[float]]]]:
    """(name, ring) for every ring of every feature."""
    if not geojson:
        return []
    features = geojson.get("features") or ([geojson] if geojson.get("type") == "Feature" else [])
    out = []
    for feature in features:
        props = feature.get("properties") or {}
        name = str(props.get("name") or props.get("NAME") or props.get("镇街") or "")
        for ring in _rings(feature.get("geometry") or {}):
            out.append((name, ring))
    return out


class Projection:
    """Equirectangular, scaled to fit the points and outlines, north up."""

    def __init__(self, lons: list[float], lats: list[float]):
        self.lon0, self.lon1 = min(lons), max(lons)
        self.lat0, self.lat1 = min(lats), max(lats)
        self.k = math.cos(math.radians((self.lat0 + self.lat1) / 2))
        span_x = max((self.lon1 - self.lon0) * self.k, 1e-6)
        span_y = max(self.lat1 - self.lat0, 1e-6)
        self.scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)

    def x(self, lon):
        return MARGIN + (lon - self.lon0) * self.k * self.scale

    def y(self, lat):
        return HEIGHT - MARGIN - (lat - self.lat0) * self.scale


class MercatorProjection:
    """Web mercator (what tile servers use), scaled to fit, north up; ``x``/``y`` take floats
    or Polars expressions like ``Projection``'s."""

    def __init__(self, lons: list[float], lats: list[float]):
        placed = [mercator(lon, lat) for lon, lat in zip(lons, lats, strict=True)]
        xs, ys = [x for x, _ in placed], [y for _, y in placed]
        span_x = max(max(xs) - min(xs), 1e-12)
        span_y = max(max(ys) - min(ys), 1e-12)
        fit = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
        self.scale = min(fit, TILE * 2**MAX_ZOOM)  # a single point: the closest zoom, not ∞
        # the world point at the view's top-left corner, the data centred in the view
        self.x0 = (min(xs) + max(xs)) / 2 - WIDTH / 2 / self.scale
        self.y0 = (min(ys) + max(ys)) / 2 - HEIGHT / 2 / self.scale

    def x(self, lon):
        return ((lon + 180.0) / 360.0 - self.x0) * self.scale

    def y(self, lat):
        if isinstance(lat, pl.Expr):
            rad = lat.clip(-85.0511, 85.0511).radians()
            world = (1.0 - rad.tan().arcsinh() / math.pi) / 2.0
        else:
            world = mercator(0.0, lat)[1]
        return (world - self.y0) * self.scale

    def tiles(self, template: str) -> list[dict]:
        return tiles(template, self.x0, self.y0, self.scale, WIDTH, HEIGHT)


def layout(
    points: pl.DataFrame,
    geojson: dict[str, Any] | None,
    tile_url: str = "",
    rates: dict[str, dict] | None = None,
) -> dict[str, Any]:
    """Everything the template draws: tiles (only with ``tile_url``), circles (hollow where
    ``estimated``), outline paths filled by each 镇街's 组织覆盖率 in ``rates`` ({镇街: {rate,
    numerator, denominator}}), labels, legend counts."""
    rates = rates or {}
    if "estimated" not in points.columns:
        points = points.with_columns(estimated=pl.lit(False))
    rings = outlines(geojson)
    lons = points["lon"].to_list() + [p[0] for _, r in rings for p in r]
    lats = points["lat"].to_list() + [p[1] for _, r in rings for p in r]
    if not lons:
        return {"empty": True, "width": WIDTH, "height": HEIGHT, "tiles": []}
    proj = MercatorProjection(lons, lats) if tile_url else Projection(lons, lats)
    placed = points.with_columns(
        x=proj.x(pl.col("lon")).round(1),
        y=proj.y(pl.col("lat")).round(1),
        color=pl.col("status").replace_strict({k: c for k, (_, c) in STATUS.items()}),
    )
    paths, labels = [], {}
    for name, ring in rings:
        xy = [(round(proj.x(p[0]), 1), round(proj.y(p[1]), 1)) for p in ring]
        rate = rates.get(name)
        fill = band(rate)
        paths.append({"d": "M" + " L".join(f"{x},{y}" for x, y in xy) + " Z", "fill": fill})
        if name and name not in labels and xy:
            labels[name] = (sum(x for x, _ in xy) / len(xy), sum(y for _, y in xy) / len(xy))
    counts = dict(placed.group_by("status").len().iter_rows())
    return {
        "empty": False,
        "width": WIDTH,
        "tiles": proj.tiles(tile_url) if tile_url else [],
        "height": HEIGHT,
        "points": placed.select(
            "pk", "name", "town", "x", "y", "color", "status", "estimated"
        ).to_dicts(),
        "estimated": placed["estimated"].sum(),
        "paths": paths,
        "labels": [(n, round(x, 1), round(y, 1), rates.get(n)) for n, (x, y) in labels.items()],
        "legend": [(label, color, counts.get(k, 0)) for k, (label, color) in STATUS.items()],
        "bands": [(label, colour) for _, colour, label in COVERAGE_BANDS],
    }
