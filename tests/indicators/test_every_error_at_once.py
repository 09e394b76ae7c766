"""Set-up forms say every problem in one round: their own checks and the services' together."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Dimension, Indicator, Period

pytestmark = pytest.mark.django_db


def test_the_indicator_form_lists_field_and_definition_problems_together(client, team):
    client.force_login(team["manager"])
    response = client.post(
        reverse("indicators:new", args=[team["project"].pk]),
        {
            "code": "x" * 40,  # too long
            "name": "Recyclers trained",
            "measure": "count",
            "aggregation": "sum",
            "direction": "decrease",  # without a baseline
            "target_kind": "range",
            "target_min": "50",
            "target_max": "10",  # below the minimum
            "target_value": "abc",  # not a number
            "currency": "XYZ",  # no currency
        },
    )
    errors = response.context["form"].errors
    assert response.status_code == 400
    assert {"code", "target_value", "currency", "baseline_value", "target_max"} <= set(errors)
    assert not Indicator.objects.filter(name="Recyclers trained").exists()


def test_the_service_names_every_problem_of_a_definition(team):
    from django.core.exceptions import ValidationError

    from indicators import services

    with pytest.raises(ValidationError) as refused:
        services.create_indicator(
            project=team["project"],
            by=team["manager"],
            definition={
                "code": "",
                "name": "Spent",
                "measure": "count",
                "target_value": Decimal("10.5"),
                "currency": "SOL",
            },
        )
    assert set(refused.value.message_dict) == {"code", "target_value", "currency"}
    assert not Indicator.objects.filter(name="Spent").exists()


def test_the_period_form_says_a_bad_date_and_a_taken_name_at_once(client, team):
    client.force_login(team["manager"])
    response = client.post(
        reverse("indicators:add-period", args=[team["project"].pk]),
        {"name": team["first_half"].name, "start": "2025-02-30", "end": "2025-12-31"},
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert any("already has a period with this name" in m for m in said)
    assert any("date" in m.lower() for m in said)
    assert Period.objects.filter(project=team["project"]).count() == 1


def test_the_targets_form_says_a_bad_number_and_shares_above_100_at_once(client, team):
    client.force_login(team["manager"])
    response = client.post(
        reverse("indicators:targets", args=[team["indicator"].pk]),
        {
            f"share_{team['women'].pk}": "70",
            f"share_{team['men'].pk}": "40",
            f"period_{team['first_half'].pk}": "lots",
        },
    )
    text = response.text
    assert response.status_code == 400
    assert "more than 100 %" in text and "Enter a number." in text
    assert not team["indicator"].category_targets.exists()


def test_the_dimension_form_says_a_taken_name_and_a_missing_kind_at_once(client, team):
    client.force_login(team["manager"])
    Dimension.objects.create(slug="place", name="Place", kind="location", owner=team["ngo"])
    response = client.post(
        reverse("indicators:new-dimension"),
        {"name": "place", "kind": "", "categories": "Lima\nlima"},
    )
    errors = response.context["form"].errors
    assert response.status_code == 400
    assert set(errors) >= {"name", "kind", "categories"}
    assert errors["name"] == ["A dimension with this name exists already: use it."]


def test_the_result_form_says_a_missing_title_and_a_wrong_parent_at_once(client, team):
    from projects import services as project_services

    project = team["project"]
    objective = project_services.add_result(
        project=project, by=team["manager"], level="objective", title="Women earn a living"
    )
    outcome = project_services.add_result(
        project=project, by=team["manager"], level="outcome", title="Trained", parent=objective
    )
    client.force_login(team["manager"])
    response = client.post(
        reverse("indicators:framework", args=[project.pk]),
        {"action": "result", "result-level": "outcome", "result-parent": outcome.pk},
    )
    text = response.text
    assert "This field is required." in text
    assert "cannot contribute to one at level" in text
    assert project.results.count() == 2
