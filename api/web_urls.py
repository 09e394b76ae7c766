"""The API's pages for people: organisations' tokens."""

from django.urls import path

from . import web as api_web

urlpatterns = [
    path("organisations/tokens/", api_web.organisations, name="api-organisations"),
    path("organisations/<int:pk>/tokens/", api_web.tokens, name="api-tokens"),
    path(
        "organisations/<int:pk>/tokens/<int:token_pk>/revoke/",
        api_web.revoke,
        name="api-token-revoke",
    ),
]
