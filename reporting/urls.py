from django.urls import path

from . import prompt_views, report_views, views

app_name = "reporting"
urlpatterns = [
    path("projects/<int:pk>/budget/", views.budget_page, name="budget"),
    path("projects/<int:pk>/budget/<int:line_pk>/remove/", views.remove_line, name="remove-line"),
    path(
        "projects/<int:pk>/periods/<int:period_pk>/report/",
        report_views.period_report,
        name="period-report",
    ),
    path("organisations/<int:pk>/report-prompts/", prompt_views.prompts_page, name="prompts"),
    path(
        "period-reports/<int:pk>/<slug:action>/",
        report_views.transition,
        name="period-report-transition",
    ),
]
