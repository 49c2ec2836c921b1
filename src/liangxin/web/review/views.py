from django.contrib import messages
from django.forms.models import model_to_dict
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from liangxin.web.core.filters import FilterForm
from liangxin.web.core.scope import CHANGE
from liangxin.web.core.tables import Column, Table
from liangxin.web.core.views import ObjectListView, get_restricted
from liangxin.web.jobs.models import pending_rescreen
from liangxin.web.review.actions import do_decide
from liangxin.web.review.models import MatchDecision, ReviewItem


class ReviewTable(Table):
    default_sort = "source_ref"
    columns = (
        Column("source_ref", "部门数据中的这一行", sort="source_ref", css="wrap"),
        Column("name", "名称", sort="name", css="wrap"),
        Column("similarity", "相似度（%）", sort="similarity"),
    )


class ReviewFilter(FilterForm):
    search_fields = ("name__contains", "candidate_name__contains")


class QueueView(ObjectListView):
    model = ReviewItem
    table = ReviewTable
    filterset = ReviewFilter
    title = "待确认的疑似同一单位"
    template_name = "review/queue.html"

    def extra_context(self, request) -> dict:
        recent = MatchDecision.objects.restrict(request.user).filter(batch__isnull=True)
        return {
            "decisions": recent.select_related("decided_by").order_by("-decided_at")[:20],
            "job": pending_rescreen(request.user),
        }


@require_POST
def decide(request, pk: int):
    item = get_restricted(ReviewItem, request.user, CHANGE, pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in MatchDecision.Decision.values:
        messages.error(request, "请选择“是同一单位”或“不是同一单位”")
        return redirect("review:queue")
    do_decide(request.user, model_to_dict(item), decision)
    label = MatchDecision.Decision(decision).label
    messages.success(
        request, f"已确认：{item.name} 与 {item.candidate_name} {label}。正在重新关联比对。"
    )
    return redirect("review:queue")
