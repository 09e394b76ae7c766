from django.urls import path

from . import export_views, funder_reports, project_views, reports, views

# No namespace: these names were global before the pages had an app of their own.
urlpatterns = [
    path(
        "projects/<int:pk>/periods/<int:period_pk>/funders/<int:funder_pk>/report.pdf",
        funder_reports.funder_report_pdf,
        name="funder-report-pdf",
    ),
    path(
        "projects/<int:pk>/periods/<int:period_pk>/funders/<int:funder_pk>/report.docx",
        funder_reports.funder_report_docx,
        name="funder-report-docx",
    ),
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
    path("projects/<int:pk>/", project_views.project_detail, name="project"),
    path("projects/<int:pk>/report.xlsx", project_views.project_report, name="project-report-xlsx"),
    path("projects/<int:pk>/report/", reports.project_report, name="project-report"),
    path(
        "projects/<int:pk>/logframe.xlsx", project_views.project_logframe, name="project-logframe"
    ),
    path("projects/<int:pk>/report.pdf", reports.project_report_pdf, name="project-report-pdf"),
]
