from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from liangxin.web.core.middleware import allow_images_from
from liangxin.web.maps.tiles import TileUrlError, tile_origin


def tile_server() -> str:
    """The configured tile server's origin, the one place the map's images may come from."""
    return tile_origin(settings.LIANGXIN_MAP_TILE_URL)


class MapsConfig(AppConfig):
    name = "liangxin.web.maps"
    label = "maps"
    verbose_name = "挂图作战"

    def ready(self) -> None:
        try:
            tile_server()
        except TileUrlError as error:
            raise ImproperlyConfigured(f"环境变量 LIANGXIN_MAP_TILE_URL 无效：{error}") from None
        allow_images_from(tile_server)
