"""A partner system that retries a write after a lost answer does not write twice: the same
Idempotency-Key gets the first answer again."""

import pytest

from api.models import IdempotentRequest
from indicators.models import Indicator, ProgressUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def associates(demo):
    return Indicator.objects.get(code="CE-5")


def post(client, path, body, key):
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_post_sent_twice_with_one_key_creates_one_update(api, associates):
    robot = api("aspem_write")
    body = {"indicator": associates.pk, "as_of": "2026-06-30", "value": 12}
    first = post(robot, "/api/v1/updates/", body, "retry-7f3a")
    again = post(robot, "/api/v1/updates/", body, "retry-7f3a")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert associates.updates.count() == 1
    # Without a key, a second post is a second update, as before.
    robot.post("/api/v1/updates/", body, format="json")
    assert associates.updates.count() == 2


def test_the_same_key_with_another_body_is_refused_and_stores_nothing(api, associates):
    robot = api("aspem_write")
    post(
        robot,
        "/api/v1/updates/",
        {"indicator": associates.pk, "as_of": "2026-06-30", "value": 12},
        "k1",
    )
    other = post(
        robot,
        "/api/v1/updates/",
        {"indicator": associates.pk, "as_of": "2026-06-30", "value": 13},
        "k1",
    )
    assert other.status_code == 422
    assert "another request" in other.json()["detail"]
    assert list(associates.updates.values_list("value", flat=True)) == [12]


def test_a_transition_retried_with_its_key_answers_as_the_first_time(api, associates):
    robot, approver = api("aspem_write"), api("aspem_approver")
    created = post(
        robot,
        "/api/v1/updates/",
        {"indicator": associates.pk, "as_of": "2026-06-30", "value": 12, "submit": True},
        "create-1",
    ).json()
    path = f"/api/v1/updates/{created['id']}/approve/"
    first = post(approver, path, {"version": created["version"]}, "approve-1")
    again = post(approver, path, {"version": created["version"]}, "approve-1")
    assert first.status_code == 200 and first.json()["status"] == "approved"
    assert again.status_code == 200 and again.json() == first.json()  # not 409: stale version
    fresh = approver.post(path, {"version": created["version"]}, format="json")
    assert fresh.status_code == 409  # without the key, the second approval is refused


def test_keys_belong_to_their_caller_and_are_bounded(api, associates):
    body = {"indicator": associates.pk, "as_of": "2026-06-30", "value": 12}
    post(api("aspem_write"), "/api/v1/updates/", body, "shared")
    post(api("aspem_approver"), "/api/v1/updates/", body, "shared")  # another token: its own
    assert associates.updates.count() == 2
    too_long = post(api("aspem_write"), "/api/v1/updates/", body, "k" * 256)
    assert too_long.status_code == 400 and "1 to 255" in too_long.json()["detail"]
    assert associates.updates.count() == 2


def test_answers_a_retry_may_change_are_not_kept(api, associates):
    body = {"indicator": associates.pk, "as_of": "2026-06-30", "value": 12}
    refused = post(api("aspem_read"), "/api/v1/updates/", body, "k-read")
    assert refused.status_code == 403
    assert not IdempotentRequest.objects.filter(key="k-read").exists()
    bad = post(api("aspem_write"), "/api/v1/updates/", {**body, "value": -1}, "k-bad")
    assert bad.status_code == 400
    again = post(api("aspem_write"), "/api/v1/updates/", {**body, "value": -1}, "k-bad")
    assert again.json() == bad.json() and again["Idempotent-Replayed"] == "true"
    assert not ProgressUpdate.objects.filter(indicator=associates).exists()
