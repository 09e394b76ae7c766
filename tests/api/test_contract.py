"""Every field API.md names is in a real response, with the type it promises."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, ProgressUpdate
from projects.models import Project
from tests.factories import register_for_iati

pytestmark = pytest.mark.django_db


def test_lists_are_paginated_with_count_next_previous_results(api):
    body = api("eu_read").get("/api/v1/projects/").json()
    assert set(body) == {"count", "next", "previous", "results"}


def test_organisation_fields(api):
    (first, *_rest) = api("aspem_read").get("/api/v1/organisations/").json()["results"]
    assert {"id", "name", "short_name", "kind", "country", "parent"} <= set(first)


def test_project_fields(api):
    project = Project.objects.get(code="mam-la-ensenada")
    body = api("mam_write").get(f"/api/v1/projects/{project.pk}/").json()
    for field in (
        "id",
        "code",
        "title",
        "status",
        "start_date",
        "end_date",
        "budget",
        "fundings",
        "partners",
        "beneficiary_groups",
        "locations",
        "progress",
    ):
        assert field in body, field
    assert body["budget"] == {"amount": 69966.0, "currency": "EUR"}
    (funding,) = body["fundings"]
    assert {"funder", "amount", "currency"} <= set(funding)
    assert (funding["amount"], funding["currency"]) == (16322.0, "EUR")
    assert {"organisation", "role"} <= set(body["partners"][0])
    assert {p["role"] for p in body["partners"]} == {1, 4}
    assert body["progress"]["indicators"] == 7
    assert body["progress"]["computed_at"]
    assert len(body["beneficiary_groups"]) == 2 and len(body["locations"]) == 4


def test_indicator_fields_and_disaggregation(api):
    indicator = Indicator.objects.get(code="CE-1")
    body = api("aspem_read").get(f"/api/v1/indicators/{indicator.pk}/").json()
    for field in (
        "id",
        "code",
        "name",
        "project",
        "result",
        "measure",
        "unit",
        "aggregation",
        "direction",
        "baseline_value",
        "target_value",
        "target_kind",
        "target_min",
        "target_max",
        "target_date",
        "achieved_value",
        "percent_of_target",
        "status",
        "computed_at",
        "disaggregation",
    ):
        assert field in body, field
    assert (body["target_value"], body["achieved_value"], body["percent_of_target"]) == (
        75.0,
        30.0,
        40.0,
    )
    assert body["status"] in ("not_started", "on_track", "at_risk", "off_track", "achieved")
    (women,) = body["disaggregation"]
    assert women == {
        "dimension": "sex",
        "category": "women",
        "target_value": 30.0,
        "target_share": 0.4,
        "achieved_value": 13.0,
        "achieved_share": 0.4333,
        # 40 % of 75 is 30 women: 43.3 % holds the share, but 17 are still to come.
        "met": False,
        "to_go": 17.0,
        "share_on_course": True,
        "standing": "13 of 30, 17 to go — share 43.3 %, on course for 40 %",
    }


def test_absolute_category_targets_in_the_api(api):
    jobs = Indicator.objects.get(code="LID-1.1")
    body = api("eu_read").get(f"/api/v1/indicators/{jobs.pk}/").json()
    assert body["target_value"] == 600.0
    assert {(d["category"], d["target_value"]) for d in body["disaggregation"]} == {
        ("women-lgbtiq", 550.0),
        ("men", 50.0),
    }


def test_periods_fields(api):
    indicator = Indicator.objects.get(code="CE-1")
    rows = api("aspem_read").get(f"/api/v1/indicators/{indicator.pk}/periods/").json()
    assert {"start", "end", "target_value", "achieved_value", "cumulative_value"} <= set(rows[0])
    assert [r["achieved_value"] for r in rows if r["achieved_value"]] == [30.0]


def test_update_fields(api):
    update = ProgressUpdate.objects.filter(indicator__code="CE-1").get()
    body = api("aspem_read").get(f"/api/v1/updates/{update.pk}/").json()
    for field in (
        "id",
        "indicator",
        "as_of",
        "value",
        "numerator",
        "denominator",
        "values",
        "narrative",
        "evidence_url",
        "status",
        "version",
    ):
        assert field in body, field
    assert body["values"] == [{"dimension": "sex", "category": "women", "value": 13.0}]


def test_percentage_update_carries_numerator_and_denominator(api, demo):
    from api.services import create_token
    from partners.models import Organisation, User

    _t, key = create_token(
        organisation=Organisation.objects.get(short_name="Ciudad Viva"),
        name="reader",
        scope="read",
        by=User.objects.get(username="admin"),
    )
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    update = ProgressUpdate.objects.get(indicator__code="SA-6")
    body = client.get(f"/api/v1/updates/{update.pk}/").json()
    assert (body["numerator"], body["denominator"], body["value"]) == (67.0, 134.0, None)


def test_iati_export_is_an_iati_activities_document(api):
    from xml.etree import ElementTree as ET

    project = Project.objects.get(code="mam-la-ensenada")
    register_for_iati(project)
    response = api("mam_write").get(f"/api/v1/projects/{project.pk}/iati/")
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    assert (root.tag, root.get("version")) == ("iati-activities", "2.03")
    activity = root.find("iati-activity")
    # The budget by year from the demo's budget lines, adding up to the project's.
    assert sum(Decimal(v.text) for v in activity.findall("budget/value")) == Decimal("69966.00")
    funding = project.fundings.get(amount=Decimal("16322.00"))
    transactions = [
        t.findtext("value")
        for t in activity.findall("transaction")
        if t.find("transaction-type").get("code") == "1"
    ]
    assert transactions == (["16322.00"] if funding.date else [])
    assert {o.get("role") for o in activity.findall("participating-org")} == {"1", "4"}
    assert activity.find("recipient-country").get("code") == "PE"
    assert len(activity.findall("result/indicator")) == 7


def test_decimal_quantities_are_json_numbers(api):
    body = api("eu_read").get("/api/v1/indicators/?page_size=500").json()
    targets = [r["target_value"] for r in body["results"] if r["target_value"] is not None]
    assert targets and all(isinstance(t, (int, float)) for t in targets)
    assert Decimal(str(targets[0])) > 0


def test_the_update_list_writes_each_update_as_the_generic_serializer_would(demo):
    """The list writes its rows field by field for speed; it must say what DRF's own path says."""
    from rest_framework import serializers as drf

    from api.serializers import UpdateSerializer
    from indicators.models import ProgressUpdate

    updates = ProgressUpdate.objects.prefetch_related("values__category__dimension")
    assert updates.filter(values__isnull=False).exists()
    assert updates.filter(numerator__isnull=False).exists()
    assert updates.filter(reviewed_at__isnull=True).exists()
    for update in updates:
        serializer = UpdateSerializer(update)
        assert serializer.data == drf.ModelSerializer.to_representation(serializer, update)


def test_the_project_list_writes_each_project_as_the_generic_serializer_would(demo):
    """The list writes its projects field by field for speed; it must say what DRF's own path
    says, for projects with and without figures, places, groups, fundings and translations."""
    from rest_framework import serializers as drf

    from api.project_serializers import ProjectSerializer
    from projects.models import Location, Project

    placed = Location.objects.filter(projects__isnull=False).first()
    Location.objects.filter(pk=placed.pk).update(latitude=Decimal("-12.0464"), longitude=-77.0428)
    bare = Project.objects.create(
        code="bare",
        title="Nothing yet",
        planned_start=date(2026, 1, 1),
        planned_end=date(2026, 12, 31),
    )
    projects = (
        Project.objects.select_related("snapshot")
        .prefetch_related(
            "fundings__funder", "partnerships__organisation", "beneficiary_groups", "locations"
        )
        .order_by("pk")
    )
    assert projects.filter(locations__latitude__isnull=False).exists()
    assert projects.filter(beneficiary_groups__women_share__isnull=False).exists()
    assert projects.filter(fundings__amount__isnull=False).exists()
    assert projects.exclude(translations={}).exists()
    assert not hasattr(projects.get(pk=bare.pk), "snapshot")
    generic = []
    for project in projects:
        serializer = ProjectSerializer(project)
        generic.append(drf.ModelSerializer.to_representation(serializer, project))
        assert serializer.data == generic[-1]
    # A page reads what hangs from its projects once for all of them.
    page = list(Project.objects.select_related("snapshot").order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        assert ProjectSerializer(page, many=True).data == generic
    assert len(queries) == 4


def test_the_indicator_list_and_detail_write_each_indicator_as_the_generic_serializer_would(
    demo,
):
    from rest_framework import serializers as drf

    from api.serializers import IndicatorDetailSerializer, IndicatorSerializer
    from indicators.models import Indicator

    indicators = Indicator.objects.select_related("project", "snapshot", "library_link__entry")
    uncomputed = Indicator.objects.create(
        project=indicators.first().project, code="new", name="Not computed yet", unit="people"
    )
    assert not hasattr(indicators.get(pk=uncomputed.pk), "snapshot")
    assert indicators.filter(library_link__isnull=False).exists()
    assert indicators.filter(target_min__isnull=False).exists()
    assert indicators.filter(baseline_date__isnull=False).exists()
    for indicator in indicators:
        for serializer_class in (IndicatorSerializer, IndicatorDetailSerializer):
            serializer = serializer_class(indicator)
            assert serializer.data == drf.ModelSerializer.to_representation(serializer, indicator)
