"""The API speaks UTC: what it writes ends in "Z", and a date-time it reads without a zone is
UTC, not the portal's own time zone (Lima, five hours behind)."""

from datetime import UTC, timedelta

import pytest
from rest_framework.test import APIClient

from indicators.models import ProgressUpdate
from partners.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(demo):
    client = APIClient()
    client.force_authenticate(User.objects.get(username="eu-viewer"))
    return client


def moments(answer):
    """Every date-time in a JSON answer, by key."""
    if isinstance(answer, dict):
        for key, value in answer.items():
            if key.endswith("_at") and value is not None:
                yield key, value
            yield from moments(value)
    elif isinstance(answer, list):
        for item in answer:
            yield from moments(item)


def test_every_date_time_the_api_writes_is_utc_with_z(api):
    update = ProgressUpdate.objects.filter(status="approved", indicator__code="CE-1").get()
    answers = [
        api.get("/api/v1/projects/").json(),
        api.get("/api/v1/indicators/").json(),
        api.get(f"/api/v1/indicators/{update.indicator_id}/").json(),
        api.get("/api/v1/updates/").json(),
        api.get(f"/api/v1/updates/{update.pk}/").json(),
    ]
    written = [pair for answer in answers for pair in moments(answer)]
    assert {"updated_at", "computed_at", "submitted_at", "reviewed_at"} <= {k for k, _v in written}
    assert [pair for pair in written if not pair[1].endswith("Z")] == []


def test_an_updated_since_without_a_zone_means_utc(api):
    update = ProgressUpdate.objects.filter(status="approved", indicator__code="CE-1").get()
    changed = update.updated_at.astimezone(UTC).replace(tzinfo=None)
    just_before = (changed - timedelta(minutes=1)).isoformat(timespec="seconds")
    just_after = (changed + timedelta(minutes=1)).isoformat(timespec="seconds")
    ids = lambda since: {  # noqa: E731
        row["id"] for row in api.get("/api/v1/updates/", {"updated_since": since}).json()["results"]
    }
    assert update.pk in ids(just_before)  # read as Lima time, it was five hours later: missed
    assert update.pk not in ids(just_after)
    assert ids(just_before) == ids(just_before + "Z")
