"""What the portfolio and project pages show, and what they cost in queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import ProgressUpdate
from tests.factories import (
    CategoryFactory,
    CategoryTargetFactory,
    FundingFactory,
    IndicatorDimensionFactory,
    IndicatorFactory,
    PartnershipFactory,
    ProgressUpdateFactory,
    ProjectFactory,
    ResultFactory,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_projects(world, count):
    for _ in range(count):
        project = ProjectFactory()
        PartnershipFactory(project=project, organisation=world["ngo_a"])
        FundingFactory(project=project, funder=world["funder"])
        for _ in range(3):
            indicator = IndicatorFactory(project=project, result=ResultFactory(project=project))
            ProgressUpdateFactory(indicator=indicator)


def add_indicators(project, count):
    women = CategoryFactory()
    for _ in range(count):
        indicator = IndicatorFactory(project=project, result=ResultFactory(project=project))
        IndicatorDimensionFactory(indicator=indicator, dimension=women.dimension)
        CategoryTargetFactory(indicator=indicator, category=women)
        update = ProgressUpdateFactory(indicator=indicator)
        update.values.create(category=women, value=Decimal(6))


def test_portfolio_page_costs_the_same_queries_for_2_or_12_projects(client, world):
    client.force_login(world["funder_viewer"])
    add_projects(world, 1)
    few = queries_for(client, reverse("portfolio-home"))
    add_projects(world, 10)
    many = queries_for(client, reverse("portfolio-home"))
    assert few == many
    assert many <= 10


def test_project_page_costs_the_same_queries_for_2_or_20_indicators(client, world):
    client.force_login(world["editor_a"])
    project = world["project_a"]
    add_indicators(project, 2)
    url = reverse("project", args=[project.pk])
    few = queries_for(client, url)
    add_indicators(project, 18)
    many = queries_for(client, url)
    assert few == many
    # One asks whether the session owes a second factor; three read the money beside results.
    assert many <= 24


def test_project_page_shows_funders_share_of_the_budget(client, world):
    project = ProjectFactory(budget=Decimal("69966"), currency="EUR")
    FundingFactory(project=project, funder=world["funder"], amount=Decimal("16322"))
    client.force_login(world["funder_viewer"])
    text = client.get(reverse("project", args=[project.pk])).text
    assert "69,966 EUR" in text
    assert "16,322 EUR" in text
    assert "23.3 %" in text


def test_project_page_shows_share_targets_and_achieved_shares(client, world):
    project = world["project_a"]
    indicator = IndicatorFactory(
        project=project, name="Associates", target_value=Decimal(160), unit="associates"
    )
    women = CategoryFactory()
    IndicatorDimensionFactory(indicator=indicator, dimension=women.dimension)
    CategoryTargetFactory(indicator=indicator, category=women, target_share=Decimal("0.6"))
    update = ProgressUpdateFactory(indicator=indicator, value=Decimal(80))
    update.values.create(category=women, value=Decimal(50))
    client.force_login(world["editor_a"])
    text = client.get(reverse("project", args=[project.pk])).text
    assert "at least 160 associates" in text
    assert "60 % (96)" in text
    assert "80 associates" in text
    assert "50.0 %" in text or "50 %" in text
    assert "62.5 %" in text


def test_funder_never_sees_submitted_figures_but_partner_staff_see_them_as_provisional(
    client, world
):
    project = world["project_a"]
    indicator = IndicatorFactory(project=project, unit="people")
    ProgressUpdateFactory(indicator=indicator, value=Decimal(10))
    ProgressUpdateFactory(
        indicator=indicator,
        value=Decimal(777),
        status=ProgressUpdate.Status.SUBMITTED,
        reviewed_at=None,
    )
    url = reverse("project", args=[project.pk])
    client.force_login(world["funder_viewer"])
    funder_text = client.get(url).text
    assert "10 people" in funder_text
    assert "787 people" not in funder_text
    assert "Figures include approved progress only" in funder_text
    client.force_login(world["editor_a"])
    staff_text = client.get(url).text
    assert "787 people" in staff_text
    assert "Provisional" in staff_text


def test_pages_are_served_in_spanish_when_asked(client, world):
    client.force_login(world["editor_a"])
    response = client.get(reverse("portfolio-home"), headers={"accept-language": "es"})
    assert response.headers["Content-Language"] == "es"
    assert 'lang="es"' in response.text
    assert "Su portafolio" in response.text
    assert "Your portfolio" not in response.text


def test_pages_are_served_in_french_when_asked_or_chosen(client, world):
    client.force_login(world["editor_a"])
    response = client.get(reverse("portfolio-home"), headers={"accept-language": "fr"})
    assert response.headers["Content-Language"] == "fr"
    assert 'lang="fr"' in response.text
    assert "Votre portefeuille" in response.text
    assert "Your portfolio" not in response.text

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    chosen = client.get(reverse("portfolio-home"), headers={"accept-language": "es"})
    assert 'lang="fr"' in chosen.text


def test_portfolio_is_paginated_and_every_project_is_reachable(client, world):
    add_projects(world, 30)
    client.force_login(world["editor_a"])
    first = client.get(reverse("portfolio-home")).text
    second = client.get(reverse("portfolio-home") + "?page=2").text
    assert "31 projects" in first
    assert "Page 1 of 2" in first
    assert first.count('class="card"') == 25
    assert second.count('class="card"') == 6


def test_the_header_offers_each_person_only_what_their_roles_can_use(client, world):
    """A funder's viewer reports nothing, reviews nothing and administers nothing."""
    expected = {
        "funder_viewer": {"Dashboards"},
        "editor_a": {"My indicators", "Dashboards"},
    }
    for who, links in expected.items():
        client.force_login(world[who])
        header = client.get(reverse("dashboards"), follow=True).text.split("</header>")[0]
        shown = {
            name
            for name in ("My indicators", "Review", "Dashboards", "Organisations")
            if f">{name}</a>" in header
        }
        assert shown == links, who
