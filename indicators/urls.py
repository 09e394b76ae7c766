from django.urls import path

from . import import_views, setup_views, views

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
    path("review/approve/", views.review_approve, name="review-approve"),
    path("projects/<int:project_pk>/periods/", views.periods_page, name="periods"),
    path("projects/<int:project_pk>/periods/add/", setup_views.add_period, name="add-period"),
    path("periods/<int:pk>/remove/", setup_views.remove_period, name="remove-period"),
    path("periods/<int:pk>/<slug:action>/", views.period_lock, name="period-action"),
    path("projects/<int:pk>/framework/", setup_views.framework, name="framework"),
    path(
        "projects/<int:pk>/framework/template.xlsx",
        setup_views.framework_template,
        name="framework-template",
    ),
    path(
        "projects/<int:pk>/results/<int:result_pk>/",
        setup_views.edit_result,
        name="edit-result",
    ),
    path(
        "projects/<int:pk>/results/<int:result_pk>/<slug:action>/",
        setup_views.result_action,
        name="result-action",
    ),
    path("projects/<int:pk>/indicators/new/", setup_views.new_indicator, name="new"),
    path("indicators/<int:pk>/edit/", setup_views.edit_indicator, name="edit-indicator"),
    path("indicators/<int:pk>/targets/", setup_views.indicator_targets, name="targets"),
    path("dimensions/new/", setup_views.new_dimension, name="new-dimension"),
    path(
        "dimensions/<int:pk>/translations/",
        setup_views.translate_dimension,
        name="translate-dimension",
    ),
    path("projects/<int:pk>/import/", import_views.import_page, name="import"),
    path(
        "projects/<int:pk>/import/template.<slug:kind>",
        import_views.template,
        name="import-template",
    ),
]
