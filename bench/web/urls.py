"""The node's URLs plus /bench/floor/<size>/: a static page of `size` bytes behind the same
middleware (session, authentication, second factor, CSRF, security headers) and login check."""

from functools import cache

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from tipnet.urls import urlpatterns as node_urlpatterns


@cache
def _body(size: int) -> bytes:
    head = b"<!doctype html><html><head><title>floor</title></head><body><pre>"
    tail = b"</pre></body></html>\n"
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


@login_required
def floor(request, size: int):
    return HttpResponse(_body(min(size, 10_000_000)), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/floor/<int:size>/", floor), *node_urlpatterns]
