from django.conf import settings


def site(request):
    from liangxin.web.imports.pipeline import as_of

    return {
        "site_title": "两新组织党建“两个覆盖”台账",
        "policy_name": settings.LIANGXIN_POLICY,
        "as_of": as_of(),
    }
