from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles.views import serve
from django.urls import include, path, re_path

from liangxin.web.accounts import views as account_views

urlpatterns = [
    path("", include("liangxin.web.dashboard.urls")),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("login/code/", account_views.login_code, name="login_code"),
    path("logout/", account_views.logout_view, name="logout"),
    path("account/", include("liangxin.web.accounts.urls")),
    path("orgs/", include("liangxin.web.orgs.urls")),
    path("partyorgs/", include("liangxin.web.partyorgs.urls")),
    path("instructors/", include("liangxin.web.instructors.urls")),
    path("parks/", include("liangxin.web.parks.urls")),
    path("sources/", include("liangxin.web.sources.urls")),
    path("review/", include("liangxin.web.review.urls")),
    path("imports/", include("liangxin.web.imports.urls")),
    path("jobs/", include("liangxin.web.jobs.urls")),
    path("ledger/", include("liangxin.web.ledger.urls")),
    path("audit/", include("liangxin.web.audit.urls")),
    path("api/", include("liangxin.web.api.urls")),
    path("closures/", include("liangxin.web.closures.urls")),
    path("verify/", include("liangxin.web.verify.urls")),
    path("assign/", include("liangxin.web.assign.urls")),
    path("periods/", include("liangxin.web.periods.urls")),
    path("bulletins/", include("liangxin.web.bulletins.urls")),
    path("map/", include("liangxin.web.maps.urls")),
    path("columns/", include("liangxin.web.columnmaps.urls")),
]
if settings.LIANGXIN_SERVE_STATIC:
    # local use without DEBUG: styles and scripts straight from the installed package
    urlpatterns.append(
        re_path(r"^static/(?P<path>.*)$", login_not_required(serve), {"insecure": True})
    )
