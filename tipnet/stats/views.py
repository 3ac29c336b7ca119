"""The statistics pages: the dashboard for a period, downloads, the report, the region's figures."""

import hashlib
import logging
import threading

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import build, exports, indicators
from .access import access_send, access_stats, can_send
from .models import RegionalReport, SentReport
from .periods import PeriodError, default_spec, parse
from .settings import secretariat

logger = logging.getLogger("tipnet.stats")
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "glotip": ("text/csv; charset=utf-8", "csv"),
    "htcds": ("text/csv; charset=utf-8", "csv"),
}
LARGE = 200_000  # records above which a first build goes to the background


def _spec(request) -> str:
    """The period asked for, else the last full year and this year's ended quarters."""
    return request.GET.get("period") or default_spec(timezone.localdate())


def _period(request):
    spec = _spec(request)
    try:
        return parse(spec), None
    except PeriodError as exc:
        return None, str(exc)


def _is_large() -> bool:
    from tipnet.cases.models import CasePerson

    return CasePerson.objects.count() > LARGE


def _progress_key(period, version) -> str:
    return f"stats:progress:{period.key}:{translation.get_language()}:{version}"


def _build_in_background(period, version, language) -> None:
    key = _progress_key(period, version)

    def run():
        try:
            with translation.override(language):
                families = list(indicators.FAMILIES)
                for i, family in enumerate(families):
                    cache.set(key, {"done": i, "of": len(families)}, 3600)
                    build.family_tables(period, family, version)
                build.all_tables(period)
                cache.set(key, {"done": len(families), "of": len(families)}, 3600)
        except Exception:
            # The next view of the page starts the build again.
            logger.exception("statistics build failed for %s", period.spec)
            cache.delete(key)
        finally:
            close_old_connections()

    if cache.add(key, {"done": 0, "of": len(indicators.FAMILIES)}, 3600):
        threading.Thread(target=run, daemon=True).start()


def _ready(period, version) -> bool:
    return all(
        cache.get(build.cache_key(period, f, version)) is not None for f in indicators.FAMILIES
    )


@login_required
def dashboard(request):
    access_stats(request.user)
    period, error = _period(request)
    context = {"spec": _spec(request), "error": error}
    if period is None:
        return render(request, "stats/dashboard.html", context, status=400)
    version = build.data_version()
    # Two ways of writing one period share its tables but not the text the page shows.
    spelling = hashlib.sha256(period.spec.encode()).hexdigest()[:12]
    key = build.cache_key(period, f"dashboard:{spelling}", version)
    body = cache.get(key)
    if body is None:
        if not _ready(period, version) and _is_large():
            _build_in_background(period, version, translation.get_language())
            progress = cache.get(_progress_key(period, version)) or {"done": 0, "of": 1}
            if progress["done"] < progress["of"]:
                context |= {"progress": progress, "period": period}
                return render(request, "stats/progress.html", context)
        body = _dashboard_body(build.all_tables(period, version))
        cache.set(key, body, 3600)
    return render(request, "stats/dashboard.html", context | {"body": mark_safe(body)})  # noqa: S308 - our own rendering, from the cache


def _dashboard_body(report) -> str:
    """The tables and charts of the dashboard, the same for every user who may see them: rendered
    once per period, language, disclosure rules and data version (the cache key says which)."""
    context = {
        "period": report.period,
        "charts": exports.chart_uris(report),
        "tables": exports.ordered(report),
        "suppression": exports.suppression_note(report),
        "timeliness": report.mla_timeliness["rows"],
    }
    return render_to_string("stats/_dashboard_body.html", context)


@login_required
def download(request):
    access_stats(request.user)
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        raise Http404
    period, error = _period(request)
    if period is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    report = build.all_tables(period)
    tables = exports.ordered(report)
    wanted = request.GET.get("table")
    if wanted:
        tables = [t for t in tables if t.key == wanted]
        if not tables:
            raise Http404
    if fmt == "csv":
        body = exports.table_csv(tables)
    elif fmt == "xlsx":
        body = exports.table_xlsx(report, tables)
    elif fmt == "glotip":
        body = exports.glotip_csv(report)
    elif fmt == "htcds":
        body = exports.htcds_csv(report, report.threshold)
    elif fmt == "pdf":
        body = exports.report_pdf(report)
    else:
        body = exports.report_docx(report)
    from .actions import record_download

    record_download(request.user, period, fmt, wanted or "all")
    content_type, ext = FORMATS[fmt]
    name = f"tipnet-{fmt}-{period.key[:40]}.{ext}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def regional(request):
    access_stats(request.user)
    from .regional import combined

    received = RegionalReport.objects.all()
    spec = request.GET.get("period", "")
    tables = combined(spec) if spec else []
    context = {
        "received": received,
        "sent": SentReport.objects.all()[:50],
        "spec": spec,
        "tables": tables,
        "secretariat": secretariat(),
        "can_send": can_send(request.user),
    }
    return render(request, "stats/regional.html", context)


@login_required
@require_POST
def send(request):
    access_send(request.user)
    from .regional import do_send_report

    spec = request.POST.get("period", "")
    try:
        period = parse(spec)
        do_send_report(request.user, period)
    except (PeriodError, ValidationError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        from django.contrib import messages

        messages.error(request, message)
        return redirect("stats:regional")
    from django.contrib import messages

    messages.success(request, _("The tables were queued for %(node)s.") % {"node": secretariat()})
    return redirect("stats:regional")
