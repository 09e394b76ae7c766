from django.urls import path

from . import views as webhook_views

urlpatterns = [
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
]
