"""Guessing passwords: after five failures an account, or an address, is locked for a while,
in the portal's sign-in and the admin's alike, with a clear page and a way back."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    user = UserFactory(username="rosa", is_staff=True, is_superuser=True)
    user.set_password("the-right-password")
    user.save()
    return user


def sign_in(client, password, username="rosa", url="/accounts/login/", address="203.0.113.5"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_the_right_password_is_refused_after_five_wrong_ones(client, person, url):
    for _ in range(4):
        assert sign_in(client, "guess", url=url).status_code == 200
    assert sign_in(client, "guess", url=url).status_code == 429  # the fifth locks
    locked = sign_in(client, "the-right-password", url=url)
    assert locked.status_code == 429
    assert "Sign-in locked for now" in locked.text
    assert "Try again in 15 minutes" in locked.text
    assert "_auth_user_id" not in client.session


def test_the_lock_follows_the_username_from_another_address(client, person):
    for _ in range(5):
        sign_in(client, "guess")
    assert sign_in(client, "the-right-password", address="198.51.100.7").status_code == 429


def test_the_lock_follows_the_address_across_usernames(client, person):
    for number in range(5):
        sign_in(client, "guess", username=f"someone-{number}")
    assert sign_in(client, "the-right-password").status_code == 429


def test_the_lock_lifts_after_the_cool_off(client, person):
    from axes.models import AccessAttempt

    for _ in range(5):
        sign_in(client, "guess")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "the-right-password").status_code == 302


def test_an_administrator_lifts_the_lock(client, person):
    for _ in range(5):
        sign_in(client, "guess", address="198.51.100.9")
    call_command("axes_reset_username", "rosa", verbosity=0)
    call_command("axes_reset_ip", "198.51.100.9", verbosity=0)
    assert sign_in(client, "the-right-password", address="198.51.100.9").status_code == 302
