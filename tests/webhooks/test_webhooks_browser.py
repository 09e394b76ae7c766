"""An administrator registers a webhook and sends a test event, in a real browser."""

import pytest

from partners.models import Organisation, User
from tests.browser import MARKS, fits_the_screen, sign_in
from webhooks import services
from webhooks.models import Delivery, Webhook

from .conftest import Receiver

pytestmark = MARKS


@pytest.mark.django_db(transaction=True)
def test_an_administrator_registers_a_webhook_and_its_test_event_arrives(
    live_server, page, demo_portal
):
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


@pytest.mark.django_db(transaction=True)
def test_an_administrator_rotates_the_secret_chooses_events_and_sends_an_event_again(
    live_server, page, demo_portal
):
    aspem = Organisation.objects.get(short_name="ASPEm")
    receiver, working = Receiver(status=500), Receiver()
    try:
        webhook, first_secret = services.add_webhook(
            organisation=aspem, by=User.objects.get(username="aspem-admin"), url=receiver.url
        )
        failed = services.send_test_event(
            webhook=webhook, by=User.objects.get(username="aspem-admin")
        )
        Delivery.objects.filter(pk=failed.pk).update(status="failed", attempts=7)
        base = live_server.url
        sign_in(page, base, "aspem-admin")
        page.goto(f"{base}/organisations/{aspem.pk}/webhooks/")

        page.get_by_role("button", name="New secret").click()
        page.get_by_text("keeps signing events beside this one for 24 hours").wait_for()
        webhook.refresh_from_db()
        assert webhook.secret != first_secret and webhook.secret in page.content()
        assert fits_the_screen(page)

        page.goto(f"{base}/organisations/{aspem.pk}/webhooks/")
        page.get_by_text("Events and payload").click()
        page.get_by_label("A project's figures are recomputed").first.uncheck()
        page.get_by_label("Payload version").first.select_option("1")
        page.get_by_role("button", name="Save").first.click()
        page.get_by_text("is changed").wait_for()
        webhook.refresh_from_db()
        assert (webhook.events, webhook.payload_version) == (
            ["update.approved", "update.reopened"],
            1,
        )

        Webhook.objects.filter(pk=webhook.pk).update(url=working.url)
        page.reload()
        page.get_by_role("button", name="Send again").click()
        page.get_by_text("The event is sent again.").wait_for()
        assert fits_the_screen(page)
        failed.refresh_from_db()
        assert (failed.status, failed.attempts) == ("delivered", 1)
        assert len(working.received) == 1
    finally:
        receiver.close()
        working.close()
