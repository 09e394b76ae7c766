"""Lists: pagination capped at 500, stable order, updated_since, strict filters, constant cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.models import Indicator, ProgressUpdate
from indicators.services import project_snapshots, snapshots
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_page_size_is_capped_at_500(api):
    body = api("eu_read").get("/api/v1/indicators/?page_size=100000").json()
    assert body["count"] == len(body["results"]) == 25  # both EU-funded projects' indicators
    from api.pagination import Pagination

    assert Pagination.max_page_size == 500


def test_order_is_stable_across_pages(api):
    client = api("eu_read")
    first = client.get("/api/v1/indicators/?page_size=10").json()
    second = client.get(first["next"]).json()
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert ids == sorted(ids) and len(set(ids)) == 20


@pytest.mark.parametrize(
    "query",
    ["status=bogus", "updated_since=yesterday", "measure=weight", "project=abc", "page=999"],
)
def test_invalid_filter_values_get_an_error_not_a_full_list(api, query):
    response = api("eu_read").get(f"/api/v1/indicators/?{query}")
    assert response.status_code in (400, 404)


def test_updated_since_returns_only_what_changed(api):
    client = api("aspem_read")
    since = (timezone.now() + timedelta(seconds=1)).isoformat()
    assert client.get("/api/v1/updates/", {"updated_since": since}).json()["count"] == 0
    update = ProgressUpdate.objects.filter(indicator__code="CE-1").get()
    ProgressUpdate.objects.filter(pk=update.pk).update(
        updated_at=timezone.now() + timedelta(seconds=5)
    )
    changed = client.get("/api/v1/updates/", {"updated_since": since}).json()
    assert [r["id"] for r in changed["results"]] == [update.pk]
    for endpoint in ("organisations", "projects", "indicators"):
        assert client.get(f"/api/v1/{endpoint}/", {"updated_since": since}).status_code == 200


def test_indicators_changed_since_include_recomputed_figures(api):
    client = api("aspem_read")
    since = timezone.now()
    assert (
        client.get("/api/v1/indicators/", {"updated_since": since.isoformat()}).json()["count"] == 0
    )
    # Figures recomputed after `since` (the indicator itself unchanged) count as a change.
    associates = Indicator.objects.get(code="CE-5")
    snapshots.recompute_indicators([associates.pk])
    recent = client.get("/api/v1/indicators/", {"updated_since": since.isoformat()}).json()
    assert [row["id"] for row in recent["results"]] == [associates.pk]


def test_projects_changed_since_include_recomputed_progress(api):
    client = api("aspem_read")
    since = timezone.now().isoformat()
    assert client.get("/api/v1/projects/", {"updated_since": since}).json()["count"] == 0
    associates = Indicator.objects.get(code="CE-5")
    project_snapshots.recompute_projects(snapshots.recompute_indicators([associates.pk]))
    recent = client.get("/api/v1/projects/", {"updated_since": since}).json()
    assert [row["id"] for row in recent["results"]] == [associates.project_id]


def test_project_filters(api):
    client = api("eu_read")
    circular = Project.objects.get(code="circular-la-victoria-el-agustino")
    assert [r["id"] for r in client.get("/api/v1/projects/?search=Agustino").json()["results"]] == [
        circular.pk
    ]
    assert client.get("/api/v1/projects/?country=EC").json()["count"] == 1  # displacement only
    assert client.get("/api/v1/projects/?country=PE").json()["count"] == 2
    eu = circular.fundings.get().funder_id
    assert client.get(f"/api/v1/projects/?funder={eu}").json()["count"] == 1
    assert client.get("/api/v1/projects/?status=closed").json()["count"] == 0


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("endpoint", ["organisations", "projects", "indicators", "updates"])
def test_lists_cost_the_same_queries_whatever_the_page_size(api, endpoint):
    client = api("eu_read")
    client.get("/api/v1/")  # the token's first use records when it was used
    small = queries(client, f"/api/v1/{endpoint}/?page_size=1")
    large = queries(client, f"/api/v1/{endpoint}/?page_size=500")
    assert small == large


def test_each_token_is_throttled_on_its_own(api, settings):
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    cache.clear()  # throttle history of earlier tests
    original = UserRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = {"user": "3/minute"}
    try:
        busy = api("eu_read")
        statuses = [busy.get("/api/v1/projects/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert api("setec_read").get("/api/v1/projects/").status_code == 200
    finally:
        UserRateThrottle.THROTTLE_RATES = original


@pytest.mark.parametrize(
    ("since", "status"),
    [
        ("2026-01-01T00:00:00+23:16", 200),  # valid ISO 8601, beyond PostgreSQL's offsets
        ("0001-01-01T00:00:00+23:00", 400),  # falls before year 1 in UTC
    ],
)
def test_updated_since_with_extreme_offsets(api, since, status):
    for endpoint in ("updates", "indicators", "projects"):
        response = api("eu_read").get(f"/api/v1/{endpoint}/", {"updated_since": since})
        assert response.status_code == status, endpoint


def walk(client, first_url):
    """Every row of a cursor walk, and the pages it took."""
    rows, pages, url = [], 0, first_url
    while url:
        body = client.get(url).json()
        assert body["count"] is None and body["previous"] is None
        rows += body["results"]
        pages += 1
        url = body["next"]
    return rows, pages


def test_a_cursor_walk_sends_every_visible_update_once_in_order_of_change(api):
    client = api("aspem_read")
    rows, pages = walk(client, "/api/v1/updates/?cursor=&page_size=2")
    expected = client.get("/api/v1/updates/?page_size=500").json()
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in expected["results"])
    assert len(rows) == len({r["id"] for r in rows}) == expected["count"] == 3
    assert pages == 2  # and no empty page at the end
    keys = [(r["updated_at"], r["id"]) for r in rows]
    assert keys == sorted(keys)


def test_an_update_changed_during_a_walk_comes_again_at_its_end(api):
    client = api("aspem_read")
    first = client.get("/api/v1/updates/?cursor=&page_size=2").json()
    already_sent = first["results"][0]["id"]
    ProgressUpdate.objects.filter(pk=already_sent).update(
        updated_at=timezone.now() + timedelta(minutes=1)
    )
    rest, _pages = walk(client, first["next"])
    assert rest[-1]["id"] == already_sent


def test_a_walk_with_updated_since_costs_the_same_queries_on_every_page(api):
    client = api("aspem_read")
    since = (timezone.now() - timedelta(days=1)).isoformat()
    first = client.get("/api/v1/updates/", {"cursor": "", "updated_since": since, "page_size": 1})
    with CaptureQueriesContext(connection) as on_first:
        client.get(first.json()["next"])
    body = first.json()
    assert len(body["results"]) == 1 and "updated_since" in body["next"]
    third = client.get(body["next"]).json()["next"]
    with CaptureQueriesContext(connection) as later:
        client.get(third)
    assert len(later) == len(on_first)


@pytest.mark.parametrize(
    "query", ["cursor=bm9wZQ", "cursor=%E2%9C%93", "cursor=&page=2", "cursor=&ordering=id"]
)
def test_a_bad_cursor_or_a_cursor_with_page_or_ordering_is_refused(api, query):
    response = api("aspem_read").get(f"/api/v1/updates/?{query}")
    assert response.status_code == 400
    assert set(response.json()) & {"cursor", "page", "ordering"}


def test_a_funder_walking_with_a_cursor_sees_approved_updates_only(api):
    rows, _pages = walk(api("eu_read"), "/api/v1/updates/?cursor=")
    assert rows and {r["status"] for r in rows} == {"approved"}
    outsider = api("ciudadviva_read")
    mine = {r["id"] for r in walk(outsider, "/api/v1/updates/?cursor=")[0]}
    assert not mine & {r["id"] for r in rows}
