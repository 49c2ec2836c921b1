from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liangxin.web.audit.actions import Action, log
from liangxin.web.core.views import get_restricted
from liangxin.web.ledger.workbook import LEDGER, ledger_folder
from liangxin.web.tasks.models import Task
from liangxin.web.tasks.worker import enqueue


def home(request):
    tasks = Task.objects.restrict(request.user).filter(kind="ledger", created_by=request.user)[:10]
    return render(request, "ledger/home.html", {"title": "台账下载", "tasks": tasks})


@require_POST
def generate(request):
    enqueue("ledger", "生成台账", request.user)
    return redirect("ledger:home")


def download(request, pk: int):
    task = get_restricted(Task, request.user, pk=pk, kind="ledger", status=Task.Status.DONE)
    path = ledger_folder(task) / LEDGER
    if not path.exists():
        raise Http404
    log(Action.DOWNLOAD, request.user, task, note=f"下载台账（{task.result.get('orgs')}个单位）")
    return FileResponse(path.open("rb"), as_attachment=True, filename=LEDGER)
