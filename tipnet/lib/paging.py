"""Pages of a list, and of a long list whose total is counted only a bounded distance ahead.

An exact COUNT(*) reads every matching row: for a national node's case list or audit log, tens
of thousands of index entries on every page view, growing with the register. A page instead
counts at most LOOKAHEAD rows from its own first row: the total is exact when the list ends
within them, and otherwise shown as "more than N", with the exact count one click away
(`?count=exact`). The paging links are the project's `_pagination.html`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

# Rows counted past the first row of the page asked for (20 pages of 50).
LOOKAHEAD = 1000


if TYPE_CHECKING:  # generic for the type checker only: Django's class takes no subscript
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator


class LookaheadPaginator(_Paginator):
    """A Paginator whose `count` is exact or, when `count_is_exact` is False, a lower bound."""

    count_is_exact = True
    lower_bound = 0  # with count_is_exact False: there are more than this many rows


def link_query(params: QueryDict) -> str:
    """The request's query string without its page and count: what paging links carry on."""
    query: QueryDict = params.copy()
    query.pop("page", None)
    query.pop("count", None)
    return query.urlencode()


def request_page(request: HttpRequest, rows: QuerySet[Any], per_page: int) -> Page[Any]:
    """The page of `rows` the request asks for, counted a bounded distance ahead unless the
    request asks for the exact count."""
    exact = request.GET.get("count") == "exact"
    return lookahead_page(rows, request.GET.get("page"), per_page, exact)


def _number(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


def lookahead_page(
    rows: QuerySet[Any], number: Any, per_page: int, exact: bool = False, lookahead: int = LOOKAHEAD
) -> Page[Any]:
    """Page `number` of `rows` (ordered), counting at most `lookahead` rows past its start.

    An invalid number gives the first page; a number past the end gives the last page (that
    needs the exact count, as does `exact`).
    """
    start = (_number(number) - 1) * per_page
    ahead = 0 if exact else rows.order_by()[start : start + lookahead + 1].count()
    if exact or (ahead == 0 and start > 0):
        return LookaheadPaginator(rows, per_page).get_page(number)
    paginator = LookaheadPaginator(rows, per_page)
    # cached_property: set what Paginator.count would otherwise compute with COUNT(*)
    paginator.__dict__["count"] = start + min(ahead, lookahead)
    paginator.count_is_exact = ahead <= lookahead
    if not paginator.count_is_exact:
        paginator.lower_bound = start + lookahead
        paginator.__dict__["count"] += 1  # a page past the bound exists: offer "next"
    return paginator.page(start // per_page + 1)
