"""A budget line names its funder only while the funder stands in the project: a funder
recorded by name that gets an administrator awaits confirmation, and until then no page, file
or API answer names it; a funder that declines leaves the lines in place, naming no one."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from projects import services as project_services
from projects.models import Funding
from reporting import services
from reporting.models import BudgetLine
from tests.factories import FundingFactory, MembershipFactory, OrganisationFactory
from tests.reporting.conftest import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_funder(reporting):
    """A foundation recorded by name (no administrator yet) funding a 2025 line."""
    project = reporting["project_a"]
    foundation = OrganisationFactory(name="Fundación Quipu")
    funding = FundingFactory(
        project=project, funder=foundation, amount=Decimal(5000), confirmed=False
    )
    line = services.save_budget_line(
        project=project,
        by=reporting["manager_a"],
        name="Seed capital",
        year=2025,
        amount=Decimal(3000),
        currency="EUR",
        funding=funding,
    )
    write(
        reporting,
        expenditures=[services.ExpenditureInput(line=line, amount=Decimal(1000))],
        submit=True,
    )
    return {"foundation": foundation, "funding": funding, "line": line}


def shown(client, reporting) -> str:
    project = reporting["project_a"]
    budget = client.get(reverse("reporting:budget", args=[project.pk])).text
    report = client.get(
        reverse("reporting:period-report", args=[project.pk, reporting["period"].pk])
    ).text
    return budget + report


def test_a_funder_awaiting_confirmation_is_named_nowhere_until_it_confirms(
    client, reporting, named_funder
):
    client.force_login(reporting["manager_a"])
    api = APIClient()
    api.force_authenticate(reporting["manager_a"])
    line_url = f"/api/v1/budget-lines/{named_funder['line'].pk}/"
    assert "Fundación Quipu" in shown(client, reporting)
    assert api.get(line_url).json()["funder"] == named_funder["foundation"].pk

    administrator = MembershipFactory(organisation=named_funder["foundation"], role="admin").user
    text = shown(client, reporting)
    assert "Fundación Quipu" not in text
    assert text.count("a funder yet to confirm its part") == 2  # the budget, the expenditure
    answer = api.get(line_url).json()
    assert (answer["funding"], answer["funder"]) == (None, None)

    project_services.confirm_involvement(
        project=reporting["project_a"], organisation=named_funder["foundation"], by=administrator
    )
    assert "Fundación Quipu" in shown(client, reporting)
    assert api.get(line_url).json()["funding"] == named_funder["funding"].pk


def test_a_funder_that_declines_leaves_its_lines_naming_no_one(client, reporting, named_funder):
    administrator = MembershipFactory(organisation=named_funder["foundation"], role="admin").user
    project_services.decline_involvement(
        project=reporting["project_a"], organisation=named_funder["foundation"], by=administrator
    )
    assert not Funding.every.filter(funder=named_funder["foundation"]).exists()
    line = BudgetLine.objects.get(pk=named_funder["line"].pk)
    assert line.funding is None and line.expenditures.count() == 1
    assert line.history.first().history_user == administrator
    client.force_login(reporting["manager_a"])
    text = shown(client, reporting)
    assert "Fundación Quipu" not in text and "a funder yet to confirm" not in text
