"""An optional tile server under the map (``LIANGXIN_MAP_TILE_URL``): web-mercator XYZ tiles.

Standard library only; the app checks the template at start-up (``maps/apps.py``).
"""

from __future__ import annotations

import math
from urllib.parse import urlsplit

TILE = 256
MAX_ZOOM = 18


class TileUrlError(ValueError):
    pass


def tile_origin(template: str) -> str:
    """``scheme://host[:port]`` of a tile URL template, or "" when none is configured."""
    if not template:
        return ""
    parts = urlsplit(template)
    if parts.scheme not in ("http", "https") or not parts.netloc or "{" in parts.netloc:
        raise TileUrlError(f"地图瓦片地址应为 http(s)://主机/…/{{z}}/{{x}}/{{y}}…：{template}")
    if parts.username or parts.password:
        raise TileUrlError("地图瓦片地址不能包含用户名或密码")
    if not all(key in template for key in ("{z}", "{x}", "{y}")):
        raise TileUrlError(f"地图瓦片地址须包含 {{z}}、{{x}}、{{y}}：{template}")
    return f"{parts.scheme}://{parts.netloc}".lower()


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web-mercator world coordinates in [0, 1], y growing southwards (as tiles do)."""
    lat = max(min(lat, 85.0511), -85.0511)
    x = (lon + 180.0) / 360.0
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0
    return x, y


def tiles(template: str, x0: float, y0: float, scale: float, width: int, height: int) -> list[dict]:
    """The tiles covering a ``width`` × ``height`` view whose top-left corner is the world point
    (x0, y0) and where one world unit is ``scale`` pixels: the zoom whose tiles are drawn at
    256–512 px, each tile with its URL and place."""
    zoom = max(0, min(MAX_ZOOM, math.floor(math.log2(max(scale, TILE) / TILE))))
    n = 2**zoom
    size = scale / n
    first_x, last_x = math.floor(x0 * n), math.floor((x0 + width / scale) * n)
    first_y, last_y = math.floor(y0 * n), math.floor((y0 + height / scale) * n)
    out = []
    for ty in range(max(first_y, 0), min(last_y, n - 1) + 1):
        for tx in range(max(first_x, 0), min(last_x, n - 1) + 1):
            url = template.replace("{z}", str(zoom)).replace("{x}", str(tx)).replace("{y}", str(ty))
            out.append({
                "url": url,
                "x": round((tx / n - x0) * scale, 1),
                "y": round((ty / n - y0) * scale, 1),
                "size": round(size + 0.5, 1),  # half a pixel of overlap hides the seams
            })  # fmt: skip
    return out
