"""The indicator libraries in the API: who sees them, their results across projects, the link
on each indicator, and their place in the change feed."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from libraries import services
from partners.models import Membership
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
)
from tests.libraries.conftest import build_network_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(django_capture_on_commit_callbacks):
    library, viewer = build_network_results(django_capture_on_commit_callbacks)
    client = APIClient()
    client.force_login(viewer)
    return library, viewer, client


def test_the_networks_viewer_reads_the_library_and_its_totals_and_an_outsider_gets_404(network):
    library, _viewer, client = network
    listed = client.get("/api/v1/libraries/").json()["results"]
    assert [(row["id"], row["name"], row["current"]) for row in listed] == [
        (library.pk, "Network indicators", True)
    ]
    entry = listed[0]["entries"][0]
    assert (entry["code"], entry["measure"], entry["unit"], entry["disaggregations"]) == (
        "NET-1", "count", "people", ["sex"],
    )  # fmt: skip
    results = client.get(listed[0]["results_url"]).json()
    assert results["library"] == library.pk
    total = results["results"][0]
    assert (total["code"], total["value"], total["share"], total["projects_with_figures"]) == (
        "NET-1", 42, None, 2,
    )  # fmt: skip
    assert total["parts"] == [
        {"dimension": "sex", "category": "women", "name": "Sex: Women", "value": 21}
    ]
    assert total["years"] == [{"year": 2024, "value": 42}]
    assert [(row["value"], row["indicator_code"]) for row in total["projects"]] == [
        (30, "1"), (12, "1"), (None, "1"),
    ]  # fmt: skip
    assert "each project counted once" in total["rule"]

    outsider = APIClient()
    outsider.force_login(MembershipFactory(role=Membership.Role.ADMIN).user)
    assert outsider.get("/api/v1/libraries/").json()["results"] == []
    assert outsider.get(f"/api/v1/libraries/{library.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/libraries/{library.pk}/results/").status_code == 404


def test_totals_are_in_the_readers_language(network):
    library, _viewer, client = network
    body = client.get(f"/api/v1/libraries/{library.pk}/results/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert body["results"][0]["rule"].startswith("Las cifras aprobadas de cada proyecto")


def test_an_indicator_says_which_standard_indicator_it_is_reported_as(network):
    library, _viewer, client = network
    indicators = client.get("/api/v1/indicators/").json()["results"]
    assert {str(row["library_indicator"]) for row in indicators} == {
        str({"library": library.pk, "code": "NET-1"})
    }
    assert len(indicators) == 3


def test_libraries_and_links_come_through_the_change_feed(network):
    library, viewer, client = network
    first = client.get("/api/v1/changes/?limit=1000").json()
    kinds = [change["type"] for change in first["results"]]
    assert kinds.index("library") < kinds.index("indicator")
    held = next(c["data"] for c in first["results"] if c["type"] == "library")
    assert held["entries"][0]["code"] == "NET-1"

    link = library.entries.get().links.select_related("indicator__project").first()
    manager = (
        Membership.objects.filter(
            organisation__partnerships__project=link.indicator.project,
            role=Membership.Role.MANAGER,
        )
        .first()
        .user
    )
    services.unlink_indicator(indicator=link.indicator, by=manager)
    newer = services.load_library(
        organisation=library.organisation,
        by=MembershipFactory(organisation=library.organisation, role=Membership.Role.MANAGER).user,
        name=library.name,
        language="en",
        rows=[(2, {"code": "NET-1", "name_en": "Women leaders trained", "measure": "count",
                   "unit": "people", "disaggregations": "sex"})],
    )  # fmt: skip
    after = client.get(f"/api/v1/changes/?since={first['cursor']}").json()["results"]
    changed = {(c["type"], c["id"]): c["data"] for c in after}
    assert changed[("indicator", link.indicator_id)]["library_indicator"] is None
    assert changed[("library", newer.pk)]["current"] is True
    assert changed[("library", library.pk)]["current"] is False
    assert viewer.is_active


def test_the_lists_and_the_totals_cost_the_same_queries_for_more_libraries_and_projects(
    network, django_capture_on_commit_callbacks
):
    library, _viewer, client = network

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = (cost("/api/v1/libraries/"), cost(f"/api/v1/libraries/{library.pk}/results/"))
    keeper = MembershipFactory(organisation=library.organisation, role=Membership.Role.MANAGER)
    for number in range(3):
        services.load_library(
            organisation=library.organisation,
            by=keeper.user,
            name=f"Other {number}",
            language="en",
            rows=[(2, {"code": f"O-{number}", "name_en": "Meals", "measure": "count",
                       "aggregation": "sum", "disaggregations": "sex"})],
        )  # fmt: skip
        member = OrganisationFactory(parent=library.organisation)
        project = ProjectFactory()
        PartnershipFactory(project=project, organisation=member)
        services.create_from_entry(
            project=project,
            entry=library.entries.get(),
            by=MembershipFactory(organisation=member, role=Membership.Role.MANAGER).user,
            code="1",
        )
    after = (cost("/api/v1/libraries/"), cost(f"/api/v1/libraries/{library.pk}/results/"))
    assert after == before
    assert (
        Decimal(
            client.get(f"/api/v1/libraries/{library.pk}/results/").json()["results"][0]["value"]
        )
        == 42
    )


def test_the_current_filter_takes_true_or_false_and_refuses_anything_else(network):
    library, _viewer, client = network
    assert [r["id"] for r in client.get("/api/v1/libraries/?current=true").json()["results"]] == [
        library.pk
    ]
    assert client.get("/api/v1/libraries/?current=false").json()["results"] == []
    assert client.get("/api/v1/libraries/?current=2").status_code == 400
