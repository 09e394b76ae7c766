from django.urls import path

from . import file_views, prompt_views, report_views, views

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
    path("period-reports/<int:pk>/files/", file_views.add_file, name="period-report-add-file"),
    path("period-report-files/<int:pk>/", file_views.download_file, name="period-report-file"),
    path(
        "period-report-files/<int:pk>/remove/",
        file_views.remove_file,
        name="period-report-remove-file",
    ),
    path(
        "period-reports/<int:pk>/<slug:action>/",
        report_views.transition,
        name="period-report-transition",
    ),
]
