"""Uploading 镇街 outlines for the map (county admins), audited."""

from __future__ import annotations

from django.db import transaction

from liangxin.web.audit.actions import Action, log
from liangxin.web.core.permissions import UPLOAD_BOUNDARY, require
from liangxin.web.maps.models import Boundary


def do_upload_boundary(user, name: str, geojson: dict) -> Boundary:
    """Store an uploaded GeoJSON (already read and checked); the latest upload is in force."""
    require(user, UPLOAD_BOUNDARY)
    with transaction.atomic():
        boundary = Boundary.objects.create(name=name, geojson=geojson, uploaded_by=user)
        log(Action.CREATE, user, boundary, after={"name": name}, note="上传镇街边界")
    return boundary
