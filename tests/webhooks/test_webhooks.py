"""Webhooks: signed events a partner's system can trust, that never hold up an approval."""

import json
import threading
import time
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from indicators import services as indicator_services
from indicators.models import Indicator
from partners.models import Organisation, User
from portfolio.celery import app as celery_app
from webhooks import attempts, services, signing, tasks
from webhooks.models import Delivery
from webhooks.tasks import deliver, retry_due_deliveries

pytestmark = pytest.mark.django_db


def register(short_name, url, **choices):
    admin = User.objects.get(username="admin")
    return services.add_webhook(
        organisation=Organisation.objects.get(short_name=short_name), by=admin, url=url, **choices
    )


def event_type(body: bytes) -> str:
    """The event of a body in either payload version."""
    content = json.loads(body)
    return content.get("type") or content["event"]


def approve_an_update():
    associates = Indicator.objects.get(code="CE-5")
    women, men = (
        category
        for use in associates.indicator_dimensions.all()
        for category in use.dimension.categories.order_by("order")
    )
    update = indicator_services.create_update(
        indicator=associates,
        by=User.objects.get(username="aspem-editor"),
        figures=indicator_services.Figures(
            as_of=associates.project.start_date, parts={women: Decimal(6), men: Decimal(4)}
        ),
        submit=True,
    )
    return indicator_services.approve_update(
        update=update, by=User.objects.get(username="aspem-manager")
    )


def test_an_approval_reaches_partners_and_funders_signed_and_nobody_else(
    demo, receiver, django_capture_on_commit_callbacks
):
    """Payload version 1, as receivers written before Standard Webhooks read it."""
    aspem, eu, setec = receiver(), receiver(), receiver()
    _hook, aspem_secret = register("ASPEm", aspem.url, payload_version=1)
    register("EU", eu.url)
    register("setec", setec.url)  # funds another project only
    with django_capture_on_commit_callbacks(execute=True):
        approve_an_update()
    events = [json.loads(body)["event"] for _headers, body in aspem.received]
    assert "update.approved" in events and "snapshots.computed" in events
    headers, body = next(
        (h, b) for h, b in aspem.received if json.loads(b)["event"] == "update.approved"
    )
    assert headers["X-Portal-Signature"] == signing.legacy_signature(aspem_secret, body)
    assert headers["X-Portal-Event"] == "update.approved"
    event = json.loads(body)
    assert (event["indicator_code"], event["value"], event["status"]) == (
        "CE-5",
        "10.0000",
        "approved",
    )
    assert [event_type(b) for _h, b in eu.received].count("update.approved") == 1
    assert setec.received == []
    assert Delivery.objects.filter(status="delivered").count() == len(aspem.received) + len(
        eu.received
    )


def test_a_slow_receiver_never_holds_up_the_approval(
    demo, receiver, django_capture_on_commit_callbacks
):
    slow = receiver(delay=3)
    register("ASPEm", slow.url)
    celery_app.conf.task_always_eager = False
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            approve_an_update()
        elapsed = time.monotonic() - started
    finally:
        celery_app.conf.task_always_eager = True
        celery_app.control.purge()
    assert elapsed < 2, elapsed
    delivery = Delivery.objects.get(event="update.approved")
    assert delivery.status == "pending"
    deliver.apply(args=[delivery.pk])  # what the worker does next
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status) == ("delivered", 200)


def _make_due(delivery: Delivery) -> None:
    """As if its wait had passed."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_a_failing_receiver_is_retried_after_each_wait_then_marked_failed(demo, receiver):
    broken = receiver(status=500)
    webhook, _secret = register("ASPEm", broken.url)
    delivery = services.send_test_event(webhook=webhook, by=User.objects.get(username="admin"))
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None, attempts=0)
    broken.received.clear()
    waits = []
    for attempt in range(1, attempts.MAX_ATTEMPTS + 1):
        before = timezone.now()
        assert deliver.apply(args=[delivery.pk]).get() in ("pending", "failed")
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        if delivery.next_attempt_at:
            waits.append(round((delivery.next_attempt_at - before).total_seconds()))
            # Not due yet: neither the worker nor beat sends it again.
            assert deliver.apply(args=[delivery.pk]).get() == "nothing to do"
            assert tasks.retry_due() == 0
            _make_due(delivery)
    assert waits == [30, 60, 120, 300, 900, 1800]
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        "failed",
        attempts.MAX_ATTEMPTS,
        500,
    )
    assert len(broken.received) == attempts.MAX_ATTEMPTS
    deliver.apply(args=[delivery.pk])  # idempotent: a failed delivery is not sent again
    assert len(broken.received) == attempts.MAX_ATTEMPTS


def test_beat_sends_what_is_due_and_a_first_attempt_that_was_lost(demo, receiver):
    working = receiver()
    webhook, _secret = register("ASPEm", working.url)
    admin = User.objects.get(username="admin")
    celery_app.conf.task_always_eager = False
    try:
        lost = services.send_test_event(webhook=webhook, by=admin)  # the broker never had it
    finally:
        celery_app.conf.task_always_eager = True
        celery_app.control.purge()
    assert tasks.retry_due() == 0  # a first attempt may still be on its way
    Delivery.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - attempts.FIRST_ATTEMPT_LOST_AFTER
    )
    assert retry_due_deliveries.apply().get() == 1  # what beat runs every 30 s
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == ("delivered", 1)
    assert len(working.received) == 1


def test_a_delivery_being_sent_is_not_sent_twice(demo, receiver):
    working = receiver()
    webhook, _secret = register("ASPEm", working.url)
    celery_app.conf.task_always_eager = False
    try:
        delivery = services.send_test_event(webhook=webhook, by=User.objects.get(username="admin"))
    finally:
        celery_app.conf.task_always_eager = True
        celery_app.control.purge()
    held = attempts.claim(delivery.pk, lease=timedelta(seconds=65))  # a worker is posting it
    assert held is not None
    assert deliver.apply(args=[delivery.pk]).get() == "nothing to do"
    assert tasks.retry_due() == 0
    assert working.received == []


def test_addresses_inside_the_network_are_refused_outside_development(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    for url in ("http://127.0.0.1:8000/x", "http://169.254.169.254/latest", "ftp://example.org/"):
        with pytest.raises(ValidationError):
            services.check_address(url)


def test_only_administrators_manage_webhooks_and_see_the_secret_once(
    client, demo, receiver, django_capture_on_commit_callbacks
):
    aspem = Organisation.objects.get(short_name="ASPEm")
    url = f"/organisations/{aspem.pk}/webhooks/"
    for username, status in (("aspem-manager", 403), ("eu-viewer", 404), ("outsider", 404)):
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == status
        assert client.post(url, {"url": "https://example.org/hook"}).status_code == status
    client.force_login(User.objects.get(username="aspem-admin"))
    endpoint = receiver()
    page = client.post(
        url, {"url": endpoint.url, "events": ["update.approved"], "payload_version": "2"}
    )
    webhook = aspem.webhooks.get()
    assert webhook.secret in page.text
    assert webhook.secret not in client.get(url).text
    assert page["Cache-Control"].startswith("max-age=0")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}{webhook.pk}/test/")
    assert [event_type(body) for _headers, body in endpoint.received] == ["ping"]
    assert "ping" in client.get(url).text
    client.post(f"{url}{webhook.pk}/disable/")
    webhook.refresh_from_db()
    assert webhook.disabled_at is not None
    with pytest.raises(ValidationError):
        services.send_test_event(webhook=webhook, by=User.objects.get(username="aspem-admin"))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "169.254.169.254",
        "100.64.0.1",
        "100.100.100.200",  # a cloud metadata address, in the shared 100.64.0.0/10
        "224.0.0.1",  # multicast
        "[::ffff:127.0.0.1]",  # loopback written as IPv6
        "[ff02::1]",
    ],
)
def test_only_globally_routable_unicast_addresses_are_accepted(settings, address):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationError):
        services.check_address(f"http://{address}/hook")


def test_the_connection_goes_to_the_address_checked_whatever_the_name_resolves_to_next(
    settings, monkeypatch
):
    """DNS rebinding: the name resolves to a public address for the check, then to loopback.
    The event still goes to the public address, resolved and checked once."""
    from webhooks import sending

    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    answers = iter(["93.184.216.34", "127.0.0.1"])
    resolved: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        address = next(answers)
        resolved.append(address)
        return [(2, 1, 6, "", (address, port))]

    connected: list[tuple] = []

    def create_connection(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError("not in this test")

    monkeypatch.setattr(sending.socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(sending.socket, "create_connection", create_connection)
    monkeypatch.setattr(
        sending.http.client.HTTPConnection,
        "connect",
        lambda self: create_connection((self.host, self.port)),
    )
    for scheme in ("http", "https"):
        answers = iter(["93.184.216.34", "127.0.0.1"])
        with pytest.raises(ConnectionRefusedError):
            sending.post(f"{scheme}://partner.example/hook", b"{}", {}, timeout=1)
    assert [address for address, _port in connected] == ["93.184.216.34", "93.184.216.34"]
    assert resolved == ["93.184.216.34", "93.184.216.34"]  # once per send


class Redirecting:
    """An endpoint that answers every post with a redirect to `to`."""

    def __init__(self, to: str):
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(302)
                self.send_header("Location", to)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_a_redirect_is_not_followed_and_counts_as_a_failed_attempt(demo, receiver):
    inside = receiver()  # where the redirect points: it must hear nothing
    redirecting = Redirecting(inside.url)
    try:
        webhook, _secret = register("ASPEm", redirecting.url)
        delivery = services.send_test_event(webhook=webhook, by=User.objects.get(username="admin"))
        deliver.apply(args=[delivery.pk])
    finally:
        redirecting.server.shutdown()
        redirecting.server.server_close()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status) == ("pending", 302)
    assert inside.received == []


def test_without_a_worker_an_unreachable_webhook_never_fails_the_approval(
    demo, receiver, django_capture_on_commit_callbacks
):
    working = receiver()
    register("ASPEm", "http://127.0.0.1:9/unreachable")  # the discard port: nothing answers
    register("EU", working.url)
    with django_capture_on_commit_callbacks(execute=True):
        approved = approve_an_update()  # raises nothing
    assert approved.status == "approved"
    stuck = Delivery.objects.get(webhook__url__endswith="/unreachable", event="update.approved")
    assert (stuck.status, stuck.attempts) == ("pending", 1) and stuck.error
    assert any(event_type(b) == "update.approved" for _h, b in working.received)

    call_command("retry_webhooks", verbosity=0)  # not due yet: 30 s after the first attempt
    stuck.refresh_from_db()
    assert stuck.attempts == 1
    _make_due(stuck)
    call_command("retry_webhooks", verbosity=0)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("pending", 2)
