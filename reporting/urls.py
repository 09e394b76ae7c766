from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("projects/<int:pk>/budget/", views.budget_page, name="budget"),
    path("projects/<int:pk>/budget/<int:line_pk>/remove/", views.remove_line, name="remove-line"),
]
