from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liangxin.web.audit.actions import Action, log
from liangxin.web.core.views import get_restricted
from liangxin.web.jobs.models import Job
from liangxin.web.jobs.worker import enqueue
from liangxin.web.ledger.workbook import LEDGER, ledger_folder


def home(request):
    jobs = Job.objects.restrict(request.user).filter(kind="ledger", created_by=request.user)[:10]
    return render(request, "ledger/home.html", {"title": "台账下载", "jobs": jobs})


@require_POST
def generate(request):
    enqueue("ledger", "生成台账", request.user)
    return redirect("ledger:home")


def download(request, pk: int):
    job = get_restricted(Job, request.user, pk=pk, kind="ledger", status=Job.Status.DONE)
    path = ledger_folder(job) / LEDGER
    if not path.exists():
        raise Http404
    log(Action.DOWNLOAD, request.user, job, note=f"下载台账（{job.result.get('orgs')}个单位）")
    return FileResponse(path.open("rb"), as_attachment=True, filename=LEDGER)
