from django.conf import settings

from liangxin.web.core.menu import menu_for
from liangxin.web.core.policy import as_of


def site(request):
    return {
        "site_title": "两新组织党建“两个覆盖”台账",
        "policy_name": settings.LIANGXIN_POLICY,
        "as_of": as_of(),
        "menu": menu_for(getattr(request, "user", None), request.path),
    }
