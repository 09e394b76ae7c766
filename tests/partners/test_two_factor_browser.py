"""On a phone: turning two-factor sign-in on from the QR page, keeping the recovery codes, and
signing in again with a code from the app."""

import base64
import time

import pytest
from django_otp.oath import TOTP

from tests.browser import MARKS, fits_the_screen
from tests.factories import MembershipFactory

pytestmark = [*MARKS, pytest.mark.django_db(transaction=True)]
PASSWORD = "secret-password"  # the factories' own


def step_now() -> int:
    return int(time.time() // 30)


def app_code(secret: str, step: int) -> str:
    """What an authenticator app that scanned the key shows in that 30-second step."""
    totp = TOTP(base64.b32decode(secret))
    totp.time = step * 30
    return f"{totp.token():06d}"


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/?next=/dashboards/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_administrator_sets_it_up_on_a_phone_and_signs_in_with_a_code(page, live_server):
    base = live_server.url
    admin = MembershipFactory(role="admin", organisation__requires_two_factor=True).user
    sign_in(page, base, admin.username)
    # The organisation requires it: every page leads to setting it up.
    page.wait_for_url(f"{base}/accounts/two-factor/**")
    assert page.get_by_role("alert").inner_text().startswith("Your organisation requires")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    assert page.locator(".qr svg").is_visible()
    secret = page.locator("code.secret").inner_text()
    assert fits_the_screen(page)
    set_up_in = step_now()
    page.get_by_label("Code from the app").fill(app_code(secret, set_up_in))
    page.get_by_role("button", name="Turn two-factor sign-in on").click()
    codes = page.locator("ul.codes code").all_inner_texts()
    assert len(codes) == 10 and fits_the_screen(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, admin.username)
    page.wait_for_url(f"{base}/accounts/login/code/**")
    assert page.get_by_role("link", name="Dashboards").count() == 0  # nothing else until then
    # A later step than the one set up with (a code counts once), and no later than now: a set-up
    # confirmed just after a step ended leaves the device expecting the clock one step behind.
    page.get_by_label("Code").fill(app_code(secret, max(set_up_in + 1, step_now())))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboards/**")
