"""挂图作战: the user's organizations with coordinates, coloured by coverage, over uploaded
镇街 outlines; no request leaves the server for tiles."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liangxin.web.audit.models import AuditLog
from liangxin.web.orgs.models import Org

pytestmark = pytest.mark.django_db


def with_coordinates(**filters):
    return Org.objects.filter(in_scope=True, lon__isnull=False, lat__isnull=False, **filters)


def test_town_user_sees_only_its_own_points_coloured_by_status(client_for, county):
    page = client_for("town_a").get("/map/")
    points = page.context["map"]["points"]
    mine = with_coordinates(town=county.town_a)
    assert mine.exists()
    assert {p["pk"] for p in points} == set(mine.values_list("pk", flat=True))
    by_pk = {p["pk"]: p["status"] for p in points}
    for org in mine:
        expected = "org" if org.org_covered else "work" if org.work_covered else "none"
        assert by_pk[org.pk] == expected
    legend = {label: n for label, _, n in page.context["map"]["legend"]}
    assert legend["已建立党组织"] == mine.filter(org_covered=True).count()
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
    assert len(page.context["map"]["paths"]) == 1
    assert page.context["map"]["labels"][0][0] == county.town_a
    assert AuditLog.objects.filter(object_type="maps.boundary", action="create").exists()

    bad = SimpleUploadedFile("x.geojson", b'{"type": "FeatureCollection", "features": []}')
    response = admin.post("/map/boundaries/", {"geojson": bad}, follow=True)
    assert "没有面状要素" in response.content.decode()


def test_town_user_cannot_upload_outlines(client_for):
    upload = SimpleUploadedFile("x.geojson", b"{}")
    assert client_for("town_a").post("/map/boundaries/", {"geojson": upload}).status_code == 404
