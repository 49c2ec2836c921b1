from django.shortcuts import render

from liangxin.web.core.views import get_restricted
from liangxin.web.tasks.models import Task


def progress(request, pk: int):
    """The progress bar (HTMX polls it); when the task ends the page reloads itself."""
    task = get_restricted(Task, request.user, pk=pk)
    response = render(request, "tasks/_progress.html", {"task": task})
    if task.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response
