"""Pushing progress: the web forms' validation, workflow, locking, audit and recompute."""

import pytest
from django.utils import timezone

from indicators.history import update_history
from indicators.models import Indicator, IndicatorSnapshot, Period, ProgressUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def associates(demo):
    return Indicator.objects.get(code="CE-5")


def report(client, indicator, **fields):
    body = {"indicator": indicator.pk, "as_of": "2026-06-30", **fields}
    return client.post("/api/v1/updates/", body, format="json")


def by_sex(women, men):
    return [
        {"dimension": "sex", "category": "women", "value": women},
        {"dimension": "sex", "category": "men", "value": men},
    ]


def test_a_write_token_creates_and_submits_with_the_total_from_the_parts(api, associates):
    response = report(api("aspem_write"), associates, values=by_sex(50, 30), submit=True)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["value"], body["status"], body["version"]) == (80.0, "submitted", 1)
    update = ProgressUpdate.objects.get(pk=body["id"])
    assert update.organisation.short_name == "ASPEm"  # the token's organisation reports


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"value": -1}, "value", "greater than or equal to 0"),
        ({"value": 90, "values": by_sex(50, 30)}, "values", "add up to the total"),
        ({"value": 5, "narrative": "nul\x00byte"}, "narrative", "Null characters"),
        ({"value": 1e30}, "value", "less than or equal to 999999999999999"),
        ({"value": 5, "as_of": "2031-01-01"}, "as_of", "future"),
        ({"value": 5, "as_of": "2019-02-30"}, "as_of", "Date has wrong format"),
        (
            {"values": [{"dimension": "age", "category": "minors", "value": 3}]},
            "values",
            "not a category",
        ),
    ],
)
def test_bad_input_gets_400_with_the_field_and_stores_nothing(
    api, associates, fields, field, message
):
    response = report(api("aspem_write"), associates, **fields)
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not associates.updates.exists()


def test_numerator_above_denominator_is_refused(api, demo):
    from api.services import create_token
    from partners.models import Organisation, User

    _t, key = create_token(
        organisation=Organisation.objects.get(short_name="Ciudad Viva"),
        name="robot",
        scope="write",
        by=User.objects.get(username="admin"),
    )
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    mapped = Indicator.objects.get(code="SA-6")
    response = client.post(
        "/api/v1/updates/",
        {"indicator": mapped.pk, "as_of": "2024-10-31", "numerator": 135, "denominator": 134},
        format="json",
    )
    assert response.status_code == 400
    assert "larger than the denominator" in str(response.json())


def test_a_stale_version_gets_409_and_changes_nothing(api, associates):
    client = api("aspem_write")
    created = report(client, associates, value=5).json()
    first = client.patch(
        f"/api/v1/updates/{created['id']}/",
        {"version": created["version"], "value": 6},
        format="json",
    )
    assert first.status_code == 200 and first.json()["value"] == 6.0
    stale = client.patch(
        f"/api/v1/updates/{created['id']}/",
        {"version": created["version"], "value": 9},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["version"] == first.json()["version"]
    assert ProgressUpdate.objects.get(pk=created["id"]).value == 6


def test_locked_periods_refuse_api_writes(api, associates):
    Period.objects.filter(project=associates.project, name="S1 2026").update(
        locked_at=timezone.now()
    )
    response = report(api("aspem_write"), associates, value=5, as_of="2026-03-31")
    assert response.status_code == 409  # the period's state, not the request, stands in the way
    assert "locked" in response.json()["detail"]
    assert not associates.updates.exists()


def test_the_whole_workflow_over_the_api_with_audit_and_recompute(
    api, associates, django_capture_on_commit_callbacks
):
    robot, approver = api("aspem_write"), api("aspem_approver")
    created = report(robot, associates, values=by_sex(50, 30)).json()
    submitted = robot.post(
        f"/api/v1/updates/{created['id']}/submit/", {"version": created["version"]}
    )
    assert submitted.json()["status"] == "submitted"
    returned = approver.post(
        f"/api/v1/updates/{created['id']}/return/",
        {"version": submitted.json()["version"], "note": "Split by district please"},
    )
    assert (returned.json()["status"], returned.json()["review_note"]) == (
        "returned",
        "Split by district please",
    )
    resubmitted = robot.post(f"/api/v1/updates/{created['id']}/submit/")
    with django_capture_on_commit_callbacks(execute=True):
        approved = approver.post(
            f"/api/v1/updates/{created['id']}/approve/", {"version": resubmitted.json()["version"]}
        )
    assert approved.json()["status"] == "approved"
    snapshot = IndicatorSnapshot.objects.get(pk=associates.pk)
    assert (snapshot.achieved, snapshot.stale_since) == (80, None)
    indicator = robot.get(f"/api/v1/indicators/{associates.pk}/").json()
    assert indicator["achieved_value"] == 80.0 and indicator["percent_of_target"] == 50.0
    (women,) = indicator["disaggregation"]
    assert (women["achieved_share"], women["target_share"]) == (0.625, 0.6)
    authors = {entry.who for entry in update_history(ProgressUpdate.objects.get(pk=created["id"]))}
    assert authors == {
        "API token «ASPEm write» (ASPEm)",
        "API token «ASPEm write approver» (ASPEm)",
    }


def test_a_draft_is_deleted_and_an_approved_update_is_not(api, associates):
    client = api("aspem_write")
    draft = report(client, associates, value=5).json()
    assert client.delete(f"/api/v1/updates/{draft['id']}/").status_code == 204
    approved = ProgressUpdate.objects.filter(indicator__code="CE-1").get()
    assert client.delete(f"/api/v1/updates/{approved.pk}/").status_code == 409
