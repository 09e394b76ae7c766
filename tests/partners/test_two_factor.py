"""Two-factor sign-in: an app code after the password, recovery codes, and organisations that
require it of their administrators."""

import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from api.services import create_token
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the person's app shows now (or a step later: a code is good once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def sign_in(client, user) -> None:
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD, "next": "/dashboards/"}
    )
    assert response.status_code == 302, response.status_code


@pytest.fixture
def person():
    user = UserFactory(username="ana")
    user.set_password(PASSWORD)
    user.save()
    return user


def turn_on(client, user) -> list[str]:
    client.post(reverse("two-factor"), {"action": "start"})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.get(reverse("two-factor")).text
    assert "<svg" in page and "secret" in page  # the QR code and the key to type
    response = client.post(
        reverse("two-factor"), {"action": "confirm", "confirm-code": app_code(device)}
    )
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)


def test_turning_it_on_takes_a_code_from_the_app_and_shows_ten_recovery_codes_once(client, person):
    sign_in(client, person)
    client.post(reverse("two-factor"), {"action": "start"})
    wrong = client.post(reverse("two-factor"), {"action": "confirm", "confirm-code": "000000"})
    assert wrong.status_code == 400 and "This is not the code your app shows now." in wrong.text
    assert not TOTPDevice.objects.filter(user=person, confirmed=True).exists()
    device = TOTPDevice.objects.get(user=person)
    response = client.post(
        reverse("two-factor"), {"action": "confirm", "confirm-code": app_code(device)}
    )
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(set(codes)) == 10
    again = client.get(reverse("two-factor")).text
    assert not any(code in again for code in codes) and "10 recovery codes left." in again


def test_after_the_password_every_page_asks_for_the_code_until_it_is_given(client, person):
    sign_in(client, person)
    turn_on(client, person)
    client.post(reverse("logout"))
    sign_in(client, person)
    asked = client.get("/dashboards/")
    assert asked.status_code == 302
    assert asked["Location"] == reverse("two-factor-code") + "?next=%2Fdashboards%2F"
    assert client.get(reverse("profile")).status_code == 302
    assert client.get("/api/v1/projects/").status_code == 403  # the session, on the API
    wrong = client.post(reverse("two-factor-code"), {"code": "123456", "next": "/dashboards/"})
    assert wrong.status_code == 400
    assert "This code is not right, or was used already." in wrong.text
    device = TOTPDevice.objects.get(user=person)
    device.throttling_failure_count = 0  # as after the wait the throttle asks for
    device.save()
    right = client.post(
        reverse("two-factor-code"), {"code": app_code(device, 1), "next": "/dashboards/"}
    )
    assert (right.status_code, right["Location"]) == (302, "/dashboards/")
    assert client.get(reverse("profile")).status_code == 200


def test_wrong_codes_in_a_row_are_slowed_down(client, person, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute's wait after one wrong code, not a second
    sign_in(client, person)
    turn_on(client, person)
    client.post(reverse("logout"))
    sign_in(client, person)
    client.post(reverse("two-factor-code"), {"code": "111111"})
    device = TOTPDevice.objects.get(user=person)
    refused = client.post(reverse("two-factor-code"), {"code": app_code(device, 1)})
    assert "Too many wrong codes in a row" in refused.text  # even the right one, for now
    assert client.get(reverse("profile")).status_code == 302


def test_a_recovery_code_signs_in_once(client, person):
    sign_in(client, person)
    codes = turn_on(client, person)
    for attempt in ("first", "second"):
        client.post(reverse("logout"))
        sign_in(client, person)
        response = client.post(reverse("two-factor-code"), {"code": codes[0].upper()})
        if attempt == "first":
            assert response.status_code == 302
        else:
            assert response.status_code == 400
    assert StaticToken.objects.filter(device__user=person).count() == 9


def test_turning_it_off_takes_a_current_code(client, person):
    sign_in(client, person)
    turn_on(client, person)
    refused = client.post(reverse("two-factor"), {"action": "off", "off-code": "999999"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=person).exists()
    device = TOTPDevice.objects.get(user=person)
    device.throttling_failure_count = 0
    device.save()
    client.post(reverse("two-factor"), {"action": "off", "off-code": app_code(device, 1)})
    assert not TOTPDevice.objects.filter(user=person).exists()


def test_an_organisation_requiring_it_sends_its_administrators_to_set_it_up(client, person):
    ngo = OrganisationFactory(requires_two_factor=True)
    MembershipFactory(user=person, organisation=ngo, role="admin")
    editor = UserFactory(username="ed")
    editor.set_password(PASSWORD)
    editor.save()
    MembershipFactory(user=editor, organisation=ngo, role="editor")
    sign_in(client, person)
    sent = client.get("/dashboards/")
    assert sent["Location"].startswith(reverse("two-factor"))
    page = client.get(reverse("two-factor")).text
    assert "Your organisation requires two-factor sign-in of its administrators" in page
    turn_on(client, person)
    assert client.get(reverse("profile")).status_code == 200  # through, in this session
    device = TOTPDevice.objects.get(user=person)
    off = client.post(reverse("two-factor"), {"action": "off", "off-code": app_code(device, 1)})
    assert "requires two-factor sign-in" in off.text and TOTPDevice.objects.filter(user=person)
    client.post(reverse("logout"))
    sign_in(client, editor)  # not an administrator: not required
    assert client.get(reverse("profile")).status_code == 200


def test_only_its_administrators_change_the_requirement(client, person):
    ngo = OrganisationFactory()
    MembershipFactory(user=person, organisation=ngo, role="manager")
    outsider = UserFactory(username="outsider")
    url = reverse("organisation", args=[ngo.pk])
    data = {
        "action": "details",
        "name": ngo.name,
        "short_name": ngo.short_name,
        "kind": ngo.kind,
        "requires_two_factor": "on",
    }
    for who, status in ((person, 403), (outsider, 404)):  # a manager there; an outsider
        client.force_login(who)
        assert client.post(url, data).status_code == status, who
    ngo.refresh_from_db()
    assert not ngo.requires_two_factor
    admin = MembershipFactory(organisation=ngo, role="admin").user
    client.force_login(admin)
    client.post(url, data)
    ngo.refresh_from_db()
    assert ngo.requires_two_factor


def test_api_tokens_are_not_asked_for_a_second_factor(person):
    ngo = OrganisationFactory(requires_two_factor=True)
    admin = MembershipFactory(organisation=ngo, role="admin").user
    key = create_token(organisation=ngo, name="sync", scope="read", can_approve=False, by=admin)[1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/projects/").status_code == 200


def test_an_operator_resets_it_for_someone_who_lost_phone_and_codes(client, person, capsys):
    sign_in(client, person)
    turn_on(client, person)
    call_command("reset_two_factor", "ana")
    assert "removed for ana" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticToken.objects.filter(device__user=person).exists()


def test_the_admin_offers_no_way_to_add_a_device_to_someone(admin_client):
    assert admin_client.get("/admin/otp_totp/totpdevice/add/").status_code == 404
    assert admin_client.get("/admin/otp_static/staticdevice/add/").status_code == 404
