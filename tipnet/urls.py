from django.urls import include, path
from django.views.i18n import set_language

from tipnet import views
from tipnet.api import api

api.add_router("/accounts/", "tipnet.accounts.api.router", tags=["accounts"])
api.add_router("/directory/", "tipnet.directory.api.router", tags=["directory"])
api.add_router("/cases/", "tipnet.cases.api.router", tags=["cases"])
api.add_router("/mla/", "tipnet.mla.api.router", tags=["mla"])
api.add_router("/victims/", "tipnet.victims.api.router", tags=["victims"])
api.add_router("/checks/", "tipnet.checks.api.router", tags=["checks"])
api.add_router("/cooperation/", "tipnet.cooperation.api.router", tags=["cooperation"])
api.add_router("/jit/", "tipnet.jit.api.router", tags=["jit"])
api.add_router("/stats/", "tipnet.stats.api.router", tags=["stats"])

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("tipnet.accounts.urls")),
    path("audit/", include("tipnet.audit.urls")),
    path("directory/", include("tipnet.directory.urls")),
    path("cases/", include("tipnet.cases.urls")),
    path("mla/", include("tipnet.mla.urls")),
    path("victims/", include("tipnet.victims.urls")),
    path("checks/", include("tipnet.checks.urls")),
    path("cooperation/", include("tipnet.cooperation.urls")),
    path("jit/", include("tipnet.jit.urls")),
    path("stats/", include("tipnet.stats.urls")),
    path("exchange/", include("tipnet.exchange.urls")),
    path("api/", api.urls),
]

handler400 = "tipnet.views.bad_request"
handler404 = "tipnet.views.not_found"
handler500 = "tipnet.views.server_error"
