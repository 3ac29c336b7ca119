from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tipnet.context_processors import waiting_for
from tipnet.lib.errors import error_body
from tipnet.workbench import workbench


@login_required
def home(request):
    bench = workbench(request.user, waiting_for(request))
    return render(request, "home.html", {"bench": bench})


def _error(request, status: int, code: str, message: str, template: str):
    # Under /api/ even Django's own errors (unknown path, bad request) keep the API's error shape.
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=status)
    return render(request, template, status=status)


def not_found(request, exception=None):
    return _error(request, 404, "not_found", _("Not found."), "404.html")


def server_error(request):
    return _error(
        request, 500, "server_error", _("Internal error; it has been logged."), "500.html"
    )


def bad_request(request, exception=None):
    return _error(request, 400, "bad_request", _("Bad request."), "400.html")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
