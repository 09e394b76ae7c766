from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api import web as api_web
from partners import two_factor_views
from partners import views as partner_views
from webhooks import views as webhook_views

from . import export_views, views

urlpatterns = [
    path("", views.portfolio_home, name="portfolio-home"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("dashboards/", views.dashboards, name="dashboards"),
    path("dashboards/<int:pk>/report.xlsx", views.dashboard_report, name="dashboard-report"),
    path("dashboards/<int:pk>/<slug:kind>/", views.dashboard, name="dashboard"),
    path(
        "dashboards/<int:pk>/<slug:kind>/files/",
        export_views.ask_for_export,
        name="ask-for-export",
    ),
    path("files/<int:pk>/", export_views.export_page, name="export"),
    path("files/<int:pk>/download/", export_views.export_file, name="export-file"),
    path(
        "dashboards/<int:pk>/<slug:kind>/projects/<int:project_pk>/",
        views.dashboard_project_page,
        name="dashboard-project",
    ),
    path("projects/", include("projects.urls")),
    path("", include("indicators.urls")),
    path("accounts/login/", partner_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", partner_views.profile, name="profile"),
    path("accounts/two-factor/", two_factor_views.settings_page, name="two-factor"),
    path("accounts/login/code/", two_factor_views.code_page, name="two-factor-code"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        partner_views.ResetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitations/<str:key>/", partner_views.accept_invitation, name="accept-invitation"),
    path("api/v1/", include("api.urls")),
    path("organisations/tokens/", api_web.organisations, name="api-organisations"),
    path("organisations/<int:pk>/tokens/", api_web.tokens, name="api-tokens"),
    path("organisations/", partner_views.organisations, name="organisations"),
    path("organisations/<int:pk>/", partner_views.organisation_page, name="organisation"),
    path("organisations/<int:pk>/webhooks/", webhook_views.webhooks, name="webhooks"),
    path(
        "organisations/<int:pk>/webhooks/<int:webhook_pk>/test/",
        webhook_views.test_event,
        name="webhook-test",
    ),
    path(
        "organisations/<int:pk>/webhooks/<int:webhook_pk>/disable/",
        webhook_views.disable,
        name="webhook-disable",
    ),
    path(
        "organisations/<int:pk>/webhooks/<int:webhook_pk>/change/",
        webhook_views.change,
        name="webhook-change",
    ),
    path(
        "organisations/<int:pk>/webhooks/<int:webhook_pk>/rotate/",
        webhook_views.rotate,
        name="webhook-rotate",
    ),
    path(
        "organisations/<int:pk>/webhooks/deliveries/<int:delivery_pk>/redeliver/",
        webhook_views.redeliver,
        name="webhook-redeliver",
    ),
    path(
        "organisations/<int:pk>/people/<int:membership_pk>/role/",
        partner_views.change_role,
        name="change-role",
    ),
    path(
        "organisations/<int:pk>/people/<int:membership_pk>/remove/",
        partner_views.remove_member,
        name="remove-member",
    ),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        partner_views.withdraw_invitation,
        name="withdraw-invitation",
    ),
    path(
        "organisations/<int:pk>/tokens/<int:token_pk>/revoke/",
        api_web.revoke,
        name="api-token-revoke",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = "portfolio.views.permission_denied"
handler404 = "portfolio.views.not_found"
handler500 = "portfolio.views.server_error"
