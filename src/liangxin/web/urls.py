from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("liangxin.web.dashboard.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("orgs/", include("liangxin.web.orgs.urls")),
    path("partyorgs/", include("liangxin.web.partyorgs.urls")),
    path("instructors/", include("liangxin.web.instructors.urls")),
    path("parks/", include("liangxin.web.parks.urls")),
    path("sources/", include("liangxin.web.sources.urls")),
    path("review/", include("liangxin.web.matches.urls")),
    path("imports/", include("liangxin.web.imports.urls")),
    path("tasks/", include("liangxin.web.tasks.urls")),
    path("ledger/", include("liangxin.web.ledger.urls")),
    path("audit/", include("liangxin.web.audit.urls")),
]
