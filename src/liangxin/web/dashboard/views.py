from django.shortcuts import render

from liangxin.web.dashboard.metrics import scoped_metrics
from liangxin.web.matches.models import ReviewItem


def home(request):
    metrics = scoped_metrics(request.user)
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
        },
    )
