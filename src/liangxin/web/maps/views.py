"""挂图作战: the user's organizations on an offline map; county admins upload 镇街 outlines."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liangxin.web.core.permissions import UPLOAD_BOUNDARY, allowed
from liangxin.web.core.scope import Scope
from liangxin.web.core.sortkey import pinyin_key
from liangxin.web.dashboard.metrics import scoped_metrics
from liangxin.web.maps.actions import do_upload_boundary
from liangxin.web.maps.draw import layout, outlines, split_points
from liangxin.web.maps.generated import placed_points
from liangxin.web.maps.models import Boundary
from liangxin.web.orgs.models import Org

MAX_GEOJSON = 20 * 1024 * 1024


def map_view(request):
    if Scope.of(request.user).nothing:
        raise Http404
    rows = list(
        Org.objects.restrict(request.user)
        .filter(in_scope=True)
        .values_list("pk", "name", "town", "lon", "lat", "org_covered", "work_covered", "address")
    )
    boundary = Boundary.objects.restrict(request.user).first()
    surveyed, missing = split_points(rows)
    points, shapes = placed_points(surveyed, missing, boundary.geojson if boundary else None)
    rates = {t["town"]: t["org_coverage_rate"] for t in scoped_metrics(request.user)["towns"]}
    drawn = layout(points, shapes, settings.LIANGXIN_MAP_TILE_URL, rates)
    return render(
        request,
        "maps/map.html",
        {
            "title": "挂图作战",
            "map": drawn,
            "boundary": boundary,
            "without_coordinates": len(rows) - len(drawn.get("points", [])),
            "towns": sorted(rates.items(), key=lambda item: pinyin_key(item[0])),
            "can_upload": allowed(request.user, UPLOAD_BOUNDARY),
        },
    )


@require_POST
def upload(request):
    if not allowed(request.user, UPLOAD_BOUNDARY):
        raise Http404
    file = request.FILES.get("geojson")
    try:
        if file is None or file.size > MAX_GEOJSON:
            raise ValueError("请选择不超过20MB的 GeoJSON 文件")
        try:  # the decoders' own messages are English: say it in Chinese
            data = json.loads(file.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ValueError("文件不是 UTF-8 编码的文本") from None
        except json.JSONDecodeError as bad:
            raise ValueError(f"第{bad.lineno}行第{bad.colno}列不是有效的 JSON") from None
        if not outlines(data):
            raise ValueError("文件中没有面状要素（Polygon/MultiPolygon）")
    except ValueError as error:
        messages.error(request, f"无法读取边界文件：{error}")
        return redirect("maps:map")
    do_upload_boundary(request.user, file.name, data)
    messages.success(request, f"已上传镇街边界：{file.name}")
    return redirect("maps:map")
