from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor_views
from . import views as partner_views

# No namespace: these names were global before partners had a URLconf of its own, and Django's
# own password views look their next pages up by these names.
urlpatterns = [
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
    path("organisations/", partner_views.organisations, name="organisations"),
    path("organisations/<int:pk>/", partner_views.organisation_page, name="organisation"),
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
]
