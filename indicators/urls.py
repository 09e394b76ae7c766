from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("indicators/mine/", views.my_indicators_page, name="mine"),
    path("indicators/<int:pk>/", views.indicator_page, name="indicator"),
    path("indicators/<int:pk>/report/", views.report_progress, name="report"),
    path("updates/<int:pk>/", views.update_page, name="update"),
    path("updates/<int:pk>/edit/", views.edit_update, name="edit"),
    path("updates/<int:pk>/evidence/", views.evidence, name="evidence"),
    path(
        "updates/<int:pk>/<slug:action>/",
        views.transition,
        name="transition",
    ),
    path("review/", views.review_page, name="review"),
    path("projects/<int:project_pk>/periods/", views.periods_page, name="periods"),
    path("periods/<int:pk>/<slug:action>/", views.period_lock, name="period-action"),
]
