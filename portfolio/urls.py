"""The root URLconf: each app's own routes, Django's language switch and the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dashboards.urls")),
    path("projects/", include("projects.urls")),
    path("", include("indicators.urls")),
    path("", include("partners.urls")),
    path("", include("webhooks.urls")),
    path("", include("libraries.urls")),
    path("", include("reporting.urls")),
    path("", include("api.web_urls")),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = "dashboards.views.permission_denied"
handler404 = "dashboards.views.not_found"
handler500 = "dashboards.views.server_error"
