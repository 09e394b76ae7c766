from django.urls import path

from . import edit_views, link_views, views

urlpatterns = [
    path("organisations/<int:pk>/libraries/", views.libraries_page, name="libraries"),
    path(
        "organisations/<int:pk>/libraries/columns/<slug:token>/",
        views.columns_page,
        name="library-columns",
    ),
    path("libraries/template.xlsx", views.template, name="library-template"),
    path("libraries/<int:pk>/", views.library_page, name="library"),
    path("libraries/<int:pk>/edit/", edit_views.edit_library, name="library-edit"),
    path("libraries/<int:pk>/results.xlsx", views.results_workbook, name="library-results-xlsx"),
    path("indicators/<int:pk>/library/", link_views.indicator_link, name="library-link"),
    path(
        "projects/<int:pk>/indicators/from-library/",
        link_views.from_library,
        name="indicator-from-library",
    ),
]
