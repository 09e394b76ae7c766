from django.urls import path

from . import setup_views, views

app_name = "projects"
urlpatterns = [
    path("new/", setup_views.new_project, name="new"),
    path("archived/", views.archived_projects, name="archived"),
    path("places/new/", setup_views.new_place, name="new-place"),
    path("confirmations/", views.confirmations, name="confirmations"),
    path(
        "<int:pk>/confirmations/<int:organisation_pk>/<slug:action>/",
        views.confirmation_action,
        name="confirmation-action",
    ),
    path("<int:pk>/edit/", setup_views.edit_project, name="edit"),
    path("<int:pk>/setup/", setup_views.setup, name="setup"),
    path("<int:pk>/archive/", setup_views.archive, name="archive"),
    path(
        "<int:pk>/fundings/<int:funding_pk>/remove/",
        setup_views.remove_funding,
        name="remove-funding",
    ),
    path(
        "<int:pk>/partners/<int:partnership_pk>/remove/",
        setup_views.remove_partner,
        name="remove-partner",
    ),
    path("<int:pk>/groups/<int:group_pk>/", setup_views.edit_group, name="edit-group"),
    path("<int:pk>/groups/<int:group_pk>/remove/", setup_views.remove_group, name="remove-group"),
]
