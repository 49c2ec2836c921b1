"""挂图作战: the user's organizations with coordinates, coloured by coverage, over uploaded
镇街 outlines; no request leaves the server for tiles."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from liangxin.web.audit.models import AuditLog
from liangxin.web.maps.draw import layout, points_frame
from liangxin.web.maps.tiles import TileUrlError, mercator, tile_origin, tiles
from liangxin.web.orgs.models import Org

pytestmark = pytest.mark.django_db


def with_coordinates(**filters):
    return Org.objects.filter(in_scope=True, lon__isnull=False, lat__isnull=False, **filters)


def test_town_user_sees_only_its_own_points_coloured_by_status(client_for, county):
    page = client_for("town_a").get("/map/")
    points = page.context["map"]["points"]
    mine = with_coordinates(town=county.town_a)
    assert mine.exists()
    surveyed = [p for p in points if not p["estimated"]]
    assert {p["pk"] for p in surveyed} == set(mine.values_list("pk", flat=True))
    by_pk = {p["pk"]: p["status"] for p in surveyed}
    for org in mine:
        expected = "org" if org.org_covered else "work" if org.work_covered else "none"
        assert by_pk[org.pk] == expected
    legend = {label: n for label, _, n in page.context["map"]["legend"]}
    placed = Org.objects.filter(pk__in=[p["pk"] for p in points])
    assert legend["已建立党组织"] == placed.filter(org_covered=True).count()
    html = page.content.decode()
    assert f'href="/orgs/{mine.first().pk}/"' in html
    assert "http://" not in html.split('<svg id="map"')[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_admin_uploads_town_outlines(client_for, county):
    org = with_coordinates(town=county.town_a).first()
    lon, lat = float(org.lon), float(org.lat)
    square = [[lon - 0.05, lat - 0.05], [lon + 0.05, lat - 0.05], [lon + 0.05, lat + 0.05],
              [lon - 0.05, lat + 0.05], [lon - 0.05, lat - 0.05]]  # fmt: skip
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": county.town_a},
         "geometry": {"type": "Polygon", "coordinates": [square]}}]}  # fmt: skip
    upload = SimpleUploadedFile("镇街.geojson", json.dumps(geojson).encode())
    admin = client_for("admin")
    admin.post("/map/boundaries/", {"geojson": upload})
    page = admin.get("/map/")
    assert len(page.context["map"]["paths"]) == 1  # the uploaded outline replaces the generated
    assert page.context["map"]["labels"][0][0] == county.town_a
    assert AuditLog.objects.filter(object_type="maps.boundary", action="create").exists()

    bad = SimpleUploadedFile("x.geojson", b'{"type": "FeatureCollection", "features": []}')
    response = admin.post("/map/boundaries/", {"geojson": bad}, follow=True)
    assert "没有面状要素" in response.content.decode()


def test_town_user_cannot_upload_outlines(client_for):
    upload = SimpleUploadedFile("x.geojson", b"{}")
    assert client_for("town_a").post("/map/boundaries/", {"geojson": upload}).status_code == 404


TILES = "https://tiles.intranet.example:8443/osm/{z}/{x}/{y}.png"


def _external(html: str) -> set[str]:
    return set(re.findall(r"https?://[^/\"'\s]+", html)) - {"http://www.w3.org"}


def test_without_a_tile_url_nothing_external_is_referenced(client_for, county):
    page = client_for("town_a").get("/map/")
    assert page.context["map"]["tiles"] == []
    assert "<image" not in page.content.decode()
    assert _external(page.content.decode()) == set()
    img_src = next(
        d for d in page["Content-Security-Policy"].split("; ") if d.startswith("img-src")
    )
    assert img_src == "img-src 'self' data:"


@override_settings(LIANGXIN_MAP_TILE_URL=TILES)
def test_a_configured_tile_server_is_drawn_and_is_the_only_origin_allowed(client_for, county):
    page = client_for("town_a").get("/map/")
    html = page.content.decode()
    tiles = page.context["map"]["tiles"]
    assert tiles and "<image" in html
    assert _external(html) == {"https://tiles.intranet.example:8443"}
    # the tiles cover the whole view, and every point lies on one of them
    zooms = {int(t["url"].split("/")[-3]) for t in tiles}
    assert len(zooms) == 1 and 0 <= zooms.pop() <= 18
    for p in page.context["map"]["points"]:
        assert any(
            t["x"] <= p["x"] <= t["x"] + t["size"] and t["y"] <= p["y"] <= t["y"] + t["size"]
            for t in tiles
        )
    policy = page["Content-Security-Policy"].split("; ")
    img_src = next(d for d in policy if d.startswith("img-src"))
    assert img_src == "img-src 'self' data: https://tiles.intranet.example:8443"
    others = [d for d in policy if not d.startswith("img-src")]
    assert not any("tiles.intranet.example" in d for d in others)


def test_tile_math_matches_the_xyz_scheme():
    # zoom 1: four tiles; (0, 0) is the north-west quarter
    placed = tiles("https://t.example/{z}/{x}/{y}.png", 0.0, 0.0, 512.0, 512, 512)
    assert [t["url"] for t in placed] == [
        "https://t.example/1/0/0.png", "https://t.example/1/1/0.png",
        "https://t.example/1/0/1.png", "https://t.example/1/1/1.png",
    ]  # fmt: skip
    assert mercator(0.0, 0.0) == (0.5, 0.5)
    x, y = mercator(116.3975, 39.9087)  # 天安门: tile 14/13489/6208
    assert (int(x * 2**14), int(y * 2**14)) == (13489, 6208)
    # a single point: centred, at the closest zoom, on a handful of tiles
    one = layout(points_frame([(1, "甲", "", "118.35", "35.05", True, False)]), None, TILES)
    assert (one["points"][0]["x"], one["points"][0]["y"]) == (500.0, 350.0)
    assert 1 <= len(one["tiles"]) <= 30 and all("/18/" in t["url"] for t in one["tiles"])


@pytest.mark.parametrize(
    "url", ["ftp://t.example/{z}/{x}/{y}", "https://t.example/tiles.png", "//t.example/{z}/{x}/{y}"]
)
def test_a_malformed_tile_url_is_refused(url):
    with pytest.raises(TileUrlError):
        tile_origin(url)
