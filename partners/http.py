"""The signed-in person of a request, as the portal's own User."""

from django.http import HttpRequest

from .models import User


def signed_in(request: HttpRequest) -> User:
    """The user of a view behind @login_required."""
    assert isinstance(request.user, User)
    return request.user
