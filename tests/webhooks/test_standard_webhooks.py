"""Standard Webhooks: events any of their libraries can verify, secrets that rotate without a
lost event, a choice of events, redelivery, and endpoints that stop being sent to."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from standardwebhooks import Webhook as StandardWebhook
from standardwebhooks.webhooks import WebhookVerificationError

from partners.models import Organisation, User
from tests.webhooks.test_webhooks import approve_an_update, event_type, register
from webhooks import attempts, services, signing
from webhooks.models import Delivery, Webhook
from webhooks.tasks import deliver

pytestmark = pytest.mark.django_db


def verified(secret: str, headers: dict, body: bytes) -> dict:
    """What a receiver does with the reference package: raises unless signed with `secret`."""
    return StandardWebhook(secret).verify(body, headers)


def test_an_approval_arrives_signed_as_standard_webhooks_say_with_numbers(
    demo, receiver, django_capture_on_commit_callbacks
):
    endpoint = receiver()
    _hook, secret = register("ASPEm", endpoint.url)
    assert secret.startswith("whsec_")
    with django_capture_on_commit_callbacks(execute=True):
        approve_an_update()
    headers, body = next((h, b) for h, b in endpoint.received if b'"update.approved"' in b)
    event = verified(secret, headers, body)
    assert event["type"] == "update.approved"
    assert (event["data"]["indicator_code"], event["data"]["value"]) == ("CE-5", 10)
    assert event["timestamp"].endswith("Z")
    assert headers["webhook-id"].startswith("msg_")
    assert "X-Portal-Signature" not in headers
    with pytest.raises(WebhookVerificationError):
        verified(signing.new_secret(), headers, body)
    tampered = body.replace(b'"value":10', b'"value":11')
    with pytest.raises(WebhookVerificationError):
        verified(secret, headers, tampered)


def test_a_legacy_receiver_gets_its_payload_and_the_standard_headers_with_a_sunset(demo, receiver):
    endpoint = receiver()
    webhook, secret = register("ASPEm", endpoint.url, payload_version=1)
    delivery = services.send_test_event(webhook=webhook, by=User.objects.get(username="admin"))
    deliver.apply(args=[delivery.pk])
    headers, body = endpoint.received[-1]
    assert json.loads(body)["event"] == "ping"
    assert headers["X-Portal-Signature"] == signing.legacy_signature(secret, body)
    assert verified(secret, headers, body)["event"] == "ping"
    assert headers["Sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
    assert headers["Deprecation"].startswith("@")


def test_a_secret_made_before_verifies_in_its_standard_form(demo, receiver):
    endpoint = receiver()
    webhook, _secret = register("ASPEm", endpoint.url, payload_version=1)
    old = "ab" * 32  # as secrets were made before: 64 hex digits
    Webhook.objects.filter(pk=webhook.pk).update(secret=old)
    delivery = services.send_test_event(webhook=webhook, by=User.objects.get(username="admin"))
    deliver.apply(args=[delivery.pk])
    headers, body = endpoint.received[-1]
    assert headers["X-Portal-Signature"] == signing.legacy_signature(old, body)
    assert verified(signing.standard_secret(old), headers, body)["event"] == "ping"


def test_during_a_rotation_both_secrets_verify_and_then_only_the_new_one(demo, receiver):
    endpoint = receiver()
    webhook, old = register("ASPEm", endpoint.url)
    admin = User.objects.get(username="admin")
    new = services.rotate_secret(webhook=webhook, by=admin)
    webhook.refresh_from_db()
    delivery = services.send_test_event(webhook=webhook, by=admin)
    deliver.apply(args=[delivery.pk])
    headers, body = endpoint.received[-1]
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verified(old, headers, body) == verified(new, headers, body)
    Webhook.objects.filter(pk=webhook.pk).update(
        previous_secret_until=timezone.now() - timedelta(seconds=1)
    )
    later = services.send_test_event(webhook=webhook, by=admin)
    deliver.apply(args=[later.pk])
    headers, body = endpoint.received[-1]
    verified(new, headers, body)
    with pytest.raises(WebhookVerificationError):
        verified(old, headers, body)


def test_a_webhook_gets_only_the_events_it_chose(
    demo, receiver, django_capture_on_commit_callbacks
):
    endpoint = receiver()
    register("ASPEm", endpoint.url, events=["snapshots.computed"])
    with django_capture_on_commit_callbacks(execute=True):
        approve_an_update()
    assert {event_type(body) for _headers, body in endpoint.received} == {"snapshots.computed"}


def test_bad_choices_are_all_refused_at_once(demo):
    with pytest.raises(ValidationError) as refused:
        register("ASPEm", "ftp://example.org/", events=["update.deleted"], payload_version=7)
    assert set(refused.value.message_dict) == {"url", "events", "payload_version"}
    assert not Webhook.objects.exists()


def test_an_event_of_the_log_can_be_sent_again_with_its_id(demo, receiver):
    endpoint = receiver(status=500)
    webhook, _secret = register("ASPEm", endpoint.url)
    admin = User.objects.get(username="admin")
    delivery = services.send_test_event(webhook=webhook, by=admin)
    Delivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=7)
    endpoint_ok = receiver()
    Webhook.objects.filter(pk=webhook.pk).update(url=endpoint_ok.url)
    delivery.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.redeliver(delivery=delivery, by=User.objects.get(username="eu-viewer"))
    services.redeliver(delivery=delivery, by=admin)
    deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    headers, _body = endpoint_ok.received[-1]
    assert headers["webhook-id"] == f"msg_{delivery.pk}"


def test_an_address_that_answers_410_is_disabled_and_its_administrators_told(
    demo, receiver, django_capture_on_commit_callbacks
):
    gone = receiver(status=410)
    webhook, _secret = register("ASPEm", gone.url)
    admin = User.objects.get(username="admin")
    first = services.send_test_event(webhook=webhook, by=admin)
    waiting = services.send_test_event(webhook=webhook, by=admin)
    Delivery.objects.filter(pk=waiting.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deliver.apply(args=[first.pk])
    webhook.refresh_from_db()
    assert webhook.disabled_at is not None
    assert "410" in webhook.disabled_reason
    statuses = dict(Delivery.objects.filter(webhook=webhook).values_list("pk", "status"))
    assert statuses == {first.pk: "failed", waiting.pk: "failed"}
    aspem = Organisation.objects.get(short_name="ASPEm")
    admins = set(aspem.memberships.filter(role="admin").values_list("user__email", flat=True))
    assert {address for message in mail.outbox for address in message.to} == admins
    assert gone.url in mail.outbox[0].body


def test_a_day_of_failures_disables_the_webhook_and_a_success_resets_the_count(demo, receiver):
    failing = receiver(status=503)
    webhook, _secret = register("ASPEm", failing.url)
    admin = User.objects.get(username="admin")
    delivery = services.send_test_event(webhook=webhook, by=admin)
    deliver.apply(args=[delivery.pk])
    webhook.refresh_from_db()
    assert webhook.failing_since is not None and webhook.disabled_at is None
    Webhook.objects.filter(pk=webhook.pk).update(
        failing_since=timezone.now() - attempts.FAILING_FOR
    )
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    deliver.apply(args=[delivery.pk])
    webhook.refresh_from_db()
    assert webhook.disabled_at is not None and "day" in webhook.disabled_reason


def test_webhook_pages_are_for_administrators_only(client, demo, receiver):
    endpoint = receiver()
    webhook, _secret = register("ASPEm", endpoint.url)
    aspem = webhook.organisation
    delivery = services.send_test_event(webhook=webhook, by=User.objects.get(username="admin"))
    deliver.apply(args=[delivery.pk])
    urls = [
        f"/organisations/{aspem.pk}/webhooks/{webhook.pk}/rotate/",
        f"/organisations/{aspem.pk}/webhooks/{webhook.pk}/change/",
        f"/organisations/{aspem.pk}/webhooks/deliveries/{delivery.pk}/redeliver/",
    ]
    for username, status in (("aspem-manager", 403), ("eu-viewer", 404), ("outsider", 404)):
        client.force_login(User.objects.get(username=username))
        for url in urls:
            assert client.post(url).status_code == status, (username, url)
    secret_before = Webhook.objects.get(pk=webhook.pk).secret
    client.force_login(User.objects.get(username="aspem-admin"))
    page = client.post(urls[0])
    webhook.refresh_from_db()
    assert webhook.secret != secret_before and webhook.secret in page.text
    assert webhook.previous_secret == secret_before
    client.post(
        urls[1],
        {f"hook{webhook.pk}-events": ["update.reopened"], f"hook{webhook.pk}-payload_version": "1"},
    )
    webhook.refresh_from_db()
    assert (webhook.events, webhook.payload_version) == (["update.reopened"], 1)
