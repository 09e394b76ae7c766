from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api import web as api_web

from . import views

urlpatterns = [
    path("", views.portfolio_home, name="portfolio-home"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboards/", views.dashboards, name="dashboards"),
    path("dashboards/<int:pk>/<slug:kind>/", views.dashboard, name="dashboard"),
    path(
        "dashboards/<int:pk>/<slug:kind>/projects/<int:project_pk>/",
        views.dashboard_project_page,
        name="dashboard-project",
    ),
    path("projects/", include("projects.urls")),
    path("", include("indicators.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", include("api.urls")),
    path("organisations/tokens/", api_web.organisations, name="api-organisations"),
    path("organisations/<int:pk>/tokens/", api_web.tokens, name="api-tokens"),
    path(
        "organisations/<int:pk>/tokens/<int:token_pk>/revoke/",
        api_web.revoke,
        name="api-token-revoke",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "portfolio.views.not_found"
