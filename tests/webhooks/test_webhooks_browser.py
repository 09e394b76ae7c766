"""An administrator registers a webhook and sends a test event, in a real browser."""

import pytest
from django.core.management import call_command

from partners.models import Organisation
from tests.browser import MARKS, fits_the_screen, sign_in

from .conftest import Receiver

pytestmark = MARKS


@pytest.mark.django_db(transaction=True)
def test_an_administrator_registers_a_webhook_and_its_test_event_arrives(live_server, page):
    call_command("load_demo", "--reset-demo-accounts", verbosity=0)
    receiver = Receiver()
    try:
        base = live_server.url
        sign_in(page, base, "aspem-admin")
        page.get_by_role("link", name="Organisations").click()
        page.get_by_role("link", name="Webhooks").click()
        page.get_by_label("Address").fill(receiver.url)
        page.get_by_role("button", name="Register the address").click()
        page.get_by_text("Copy this secret now").wait_for()
        secret = Organisation.objects.get(short_name="ASPEm").webhooks.get().secret
        assert secret in page.content()
        assert fits_the_screen(page)
        page.get_by_role("button", name="Send a test event").click()
        page.get_by_text("A test event is on its way").wait_for()
        assert secret not in page.content()
        assert page.locator("td", has_text="Delivered").count() == 1
        assert len(receiver.received) == 1
    finally:
        receiver.close()
