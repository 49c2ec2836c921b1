from django.shortcuts import redirect, render

from liangxin.web.core.menu import first_url
from liangxin.web.core.scope import DATA_ROLES, role_of
from liangxin.web.dashboard.metrics import not_found_by_town, scoped_metrics
from liangxin.web.review.models import ReviewItem


def home(request):
    if role_of(request.user) not in DATA_ROLES:  # 安全管理员, 审计员: their own first page
        return redirect(first_url(request.user))
    metrics = scoped_metrics(request.user)
    not_found = not_found_by_town(request.user)
    chart = [
        {
            "town": t["town"],
            "org": t["org_coverage_rate"],
            "work": t["work_coverage_rate"],
        }
        for t in metrics["towns"]
        if t["total"]
    ]
    return render(
        request,
        "dashboard/home.html",
        {
            "title": "首页",
            "metrics": metrics,
            "chart": chart,
            "review_count": ReviewItem.objects.restrict(request.user).count(),
            "not_found": not_found,
            "not_found_total": sum(not_found.values()),
        },
    )
