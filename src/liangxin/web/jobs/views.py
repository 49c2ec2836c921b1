from django.shortcuts import render

from liangxin.web.core.views import get_restricted
from liangxin.web.jobs.models import Job


def progress(request, pk: int):
    """The progress bar (HTMX polls it); when the job ends the page reloads itself."""
    job = get_restricted(Job, request.user, pk=pk)
    response = render(request, "jobs/_progress.html", {"job": job})
    if job.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response
