"""The change feed: a partner that replays it holds exactly what the lists say."""

import random
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from api.feed_views import MAX_LIMIT, UPDATE_COLUMNS
from api.serializers import UpdateSerializer
from api.services import create_token
from indicators.models import Category, Indicator, ProgressUpdate
from partners.models import Organisation, User
from projects.models import Funding
from projects.services import remove_funding
from tests.api.workflow import Workflow, release_budget_lines

pytestmark = pytest.mark.django_db

LISTS = {
    "organisation": "/api/v1/organisations/",
    "library": "/api/v1/libraries/",
    "budget_line": "/api/v1/budget-lines/",
    "period_report": "/api/v1/period-reports/",
    "project": "/api/v1/projects/",
    "indicator": "/api/v1/indicators/",
    "update": "/api/v1/updates/",
}


def full_pull(client) -> dict:
    """What a partner gets by reading every list to its end."""
    copy = {}
    for kind, url in LISTS.items():
        page = f"{url}?page_size=500"
        while page:
            body = client.get(page).json()
            copy.update({(kind, row["id"]): row for row in body["results"]})
            page = body["next"]
    return copy


def replay(client, copy: dict, since: str, limit: int = 7) -> str:
    """Apply the feed from `since` to `copy`, page by page; return the cursor to keep."""
    page = f"/api/v1/changes/?since={since}&limit={limit}"
    while page:
        response = client.get(page)
        assert response.status_code == 200, response.content
        body = response.json()
        for change in body["results"]:
            key = (change["type"], change["id"])
            if change["action"] == "changed":
                copy[key] = change["data"]
            else:
                copy.pop(key, None)
        since, page = body["cursor"], body["next"]
    return since


@pytest.mark.parametrize("seed", range(4))
def test_replaying_the_feed_after_random_workflow_actions_equals_the_lists(
    api, ce, seed, django_capture_on_commit_callbacks
):
    rng = random.Random(seed)
    partners = {name: api(name) for name in ("eu_read", "aspem_read")}
    copies = {name: {} for name in partners}
    cursors = {name: replay(client, copies[name], "") for name, client in partners.items()}
    for name, client in partners.items():
        assert copies[name] == full_pull(client)
    checkpoints = {name: [(cursors[name], dict(copies[name]))] for name in partners}

    workflow = Workflow(api, ce, rng)
    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(rng.randint(2, 5)):
                workflow.step()
        for name, client in partners.items():
            cursors[name] = replay(client, copies[name], cursors[name], limit=rng.randint(1, 9))
            checkpoints[name].append((cursors[name], dict(copies[name])))

    assert len(workflow.done) >= 6, workflow.done
    for name, client in partners.items():
        now = full_pull(client)
        assert copies[name] == now, name
        # Replaying from any cursor given out before leads to the same copy.
        cursor, earlier = rng.choice(checkpoints[name])
        replay(client, earlier, cursor, limit=rng.randint(1, 9))
        assert earlier == now, (name, cursor)


def approved_update(ce) -> ProgressUpdate:
    found = ProgressUpdate.objects.filter(indicator__project=ce["project"], status="approved")
    return found.order_by("pk")[0]


def changes(client, since: str) -> list[dict]:
    body = client.get(f"/api/v1/changes/?since={since}&limit={MAX_LIMIT}").json()
    assert body["next"] is None
    return body["results"]


def test_a_reopened_update_leaves_the_funders_copy_as_no_longer_visible(api, ce):
    eu = api("eu_read")
    cursor = replay(eu, {}, "")
    update = approved_update(ce)
    response = api("aspem_approver").post(
        f"/api/v1/updates/{update.pk}/reopen/", {"version": update.version, "note": "Recount"}
    )
    assert response.status_code == 200
    assert eu.get(f"/api/v1/updates/{update.pk}/").status_code == 404
    removed = [c for c in changes(eu, cursor) if c["type"] == "update"]
    assert removed == [
        {
            "cursor": removed[0]["cursor"],
            "type": "update",
            "id": update.pk,
            "action": "removed",
            "reason": "no_longer_visible",
            "data": None,
        }
    ]
    # ASPEm, who works on it, sees it change instead.
    aspem = [
        c for c in changes(api("aspem_read"), "") if (c["type"], c["id"]) == ("update", update.pk)
    ]
    assert (aspem[0]["action"], aspem[0]["data"]["status"]) == ("changed", "draft")


def test_a_deleted_update_is_removed_as_deleted(api, ce):
    writer = api("aspem_write")
    indicator = Indicator.objects.filter(project=ce["project"], measure="count").first()
    created = writer.post(
        "/api/v1/updates/", {"indicator": indicator.pk, "as_of": "2026-06-30", "value": 3}
    ).json()
    aspem = api("aspem_read")
    cursor = replay(aspem, {}, "")
    assert writer.delete(f"/api/v1/updates/{created['id']}/").status_code == 204
    assert [(c["type"], c["id"], c["action"], c["reason"]) for c in changes(aspem, cursor)] == [
        ("update", created["id"], "removed", "deleted")
    ]


def test_a_lost_funding_removes_the_project_and_its_figures_from_the_funders_copy(api, ce):
    eu = api("eu_read")
    copy: dict = {}
    cursor = replay(eu, copy, "")
    project = ce["project"]
    indicators = set(project.indicators.values_list("pk", flat=True))
    held = {
        key
        for key, row in copy.items()
        if key == ("project", project.pk)
        or (key[0] == "indicator" and row["project"] == project.pk)
        or (key[0] == "update" and row["indicator"] in indicators)
    }
    assert {kind for kind, _id in held} == {"project", "indicator", "update"}
    funding = Funding.objects.get(project=project, funder__short_name="EU")
    release_budget_lines(funding, ce["admin"])
    remove_funding(funding=funding, by=ce["admin"])
    removed = changes(eu, cursor)
    assert {(c["type"], c["id"]) for c in removed if c["action"] == "removed"} >= held
    # Children first, so that a copy with foreign keys can apply them in order.
    kinds = [c["type"] for c in removed if c["action"] == "removed"]
    assert kinds.index("update") < kinds.index("indicator") < kinds.index("project")
    assert all(c["reason"] == "no_longer_visible" for c in removed if c["action"] == "removed")
    replay(eu, copy, cursor)
    assert copy == full_pull(eu)


def test_a_recomputed_figure_changes_the_indicator_and_its_project(api, ce):
    eu = api("eu_read")
    cursor = replay(eu, {}, "")
    indicator = Indicator.objects.filter(project=ce["project"], snapshot__isnull=False).first()
    indicator.snapshot.achieved = (indicator.snapshot.achieved or Decimal(0)) + 1
    indicator.snapshot.save()
    changed = {(c["type"], c["id"]) for c in changes(eu, cursor)}
    assert ("indicator", indicator.pk) in changed


def test_a_quiet_feed_sends_nothing_and_keeps_its_cursor(api, ce):
    eu = api("eu_read")
    cursor = replay(eu, {}, "")
    body = eu.get(f"/api/v1/changes/?since={cursor}").json()
    assert body == {"cursor": cursor, "next": None, "results": []}


def test_an_outsider_is_sent_nothing_and_never_learns_of_removals(api, ce, tokens):
    _token, key = create_token(
        organisation=Organisation.objects.create(name="Elsewhere", short_name="ELS", kind="ngo"),
        name="Elsewhere's system",
        scope="read",
        by=User.objects.get(username="admin"),
    )
    outsider = APIClient()
    outsider.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    cursor = replay(outsider, copy := {}, "")
    assert {kind for kind, _id in copy} <= {"organisation"}
    update = approved_update(ce)
    assert outsider.get(f"/api/v1/updates/{update.pk}/").status_code == 404
    api("aspem_approver").post(
        f"/api/v1/updates/{update.pk}/reopen/", {"version": update.version, "note": "Recount"}
    )
    assert changes(outsider, cursor) == []
    assert APIClient().get("/api/v1/changes/").status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [("since=abc", "since"), ("since=99999999", "since"), ("limit=0", "limit")],
)
def test_a_cursor_or_limit_not_given_out_answers_400(api, ce, query, field):
    response = api("eu_read").get(f"/api/v1/changes/?{query}")
    assert response.status_code == 400
    assert field in response.json()
    assert MAX_LIMIT == 1000


def test_the_feed_costs_the_same_queries_for_a_bigger_portfolio(
    api, ce, django_assert_max_num_queries
):
    aspem = api("aspem_read")
    replay(aspem, {}, "")
    indicator = Indicator.objects.filter(project=ce["project"], measure="count").first()

    def add_drafts(count: int) -> None:
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                indicator=indicator,
                organisation=Organisation.objects.get(short_name="ASPEm"),
                as_of="2026-06-30",
                value=n,
            )
            for n in range(1, count + 1)
        )

    add_drafts(1)
    with django_assert_max_num_queries(48) as few:
        assert len(aspem.get("/api/v1/changes/?since=").json()["results"]) > 1
    add_drafts(120)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert aspem.get("/api/v1/changes/?limit=1000").status_code == 200


def test_the_update_fingerprint_reads_a_column_for_every_field_the_list_writes(demo):
    columns = {field.attname for field in ProgressUpdate._meta.concrete_fields}
    assert set(UPDATE_COLUMNS) <= columns
    written = UpdateSerializer().to_representation(ProgressUpdate.objects.first())
    assert {column.removesuffix("_id") for column in UPDATE_COLUMNS} == set(written) - {"values"}


def test_an_edited_update_and_a_renamed_category_are_changes(api, ce):
    writer, aspem = api("aspem_write"), api("aspem_read")
    indicator = Indicator.objects.filter(project=ce["project"], measure="count").first()
    draft = writer.post(
        "/api/v1/updates/", {"indicator": indicator.pk, "as_of": "2026-06-30", "value": 3}
    ).json()
    cursor = replay(aspem, {}, "")
    edited = writer.patch(
        f"/api/v1/updates/{draft['id']}/", {"version": draft["version"], "narrative": "Recounted"}
    )
    assert edited.status_code == 200
    assert [(c["id"], c["data"]["narrative"]) for c in changes(aspem, cursor)] == [
        (draft["id"], "Recounted")
    ]
    copy: dict = {}
    cursor = replay(aspem, copy, "")
    counted = ProgressUpdate.objects.filter(indicator__project=ce["project"], values__isnull=False)
    category = counted.first().values.first().category
    Category.objects.filter(pk=category.pk).update(slug="renamed")
    using = {
        pk
        for (kind, pk), row in copy.items()
        if kind == "update"
        and any(
            (v["dimension"], v["category"]) == (category.dimension.slug, category.slug)
            for v in row["values"]
        )
    }
    touched = {c["id"] for c in changes(aspem, cursor) if c["type"] == "update"}
    assert touched == using != set()


def test_the_pages_of_one_walk_do_not_number_again(api, ce):
    aspem = api("aspem_read")
    first = aspem.get("/api/v1/changes/?limit=3").json()
    assert "upto=" in first["next"]
    writer = api("aspem_write")
    indicator = Indicator.objects.filter(project=ce["project"], measure="count").first()
    created = writer.post(
        "/api/v1/updates/", {"indicator": indicator.pk, "as_of": "2026-06-30", "value": 4}
    ).json()
    walked, page = [], first
    while page["next"]:
        page = aspem.get(page["next"]).json()
        walked.extend(page["results"])
    # Created during the walk: not in it, but first in the next one.
    assert created["id"] not in {c["id"] for c in walked if c["type"] == "update"}
    following = aspem.get(f"/api/v1/changes/?since={page['cursor']}").json()["results"]
    assert [(c["type"], c["id"]) for c in following] == [("update", created["id"])]
