"""A project's budget lines: its managers add them by year and funder, every problem named at
once and nothing stored on error; a funder's lines never add up to more than its funding;
funders read the budget; outsiders do not see it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Funding
from projects.services import remove_funding
from reporting import services
from reporting.models import BudgetLine
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(world):
    """Project A (2024–2026, budget 100,000 EUR) with its funder's 25,000 EUR, and A's
    manager."""
    world["manager_a"] = MembershipFactory(organisation=world["ngo_a"], role="manager").user
    world["funding"] = Funding.objects.get(project=world["project_a"])
    return world


def add(budget, **changes):
    values = {
        "project": budget["project_a"],
        "by": budget["manager_a"],
        "name": "Training workshops",
        "year": 2025,
        "amount": Decimal("10000"),
        "currency": "EUR",
        "funding": budget["funding"],
    }
    values.update(changes)
    return services.save_budget_line(**values)


def test_the_manager_adds_lines_and_the_page_totals_them_per_year_and_currency(client, budget):
    add(budget)
    add(budget, name="Staff", year=2024, amount=Decimal("12000.50"))
    add(budget, name="Local transport", funding=None, amount=Decimal("3000"), currency="PEN")
    client.force_login(budget["funder_viewer"])
    page = client.get(reverse("reporting:budget", args=[budget["project_a"].pk]))
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "2024: 12,000.50 EUR" in text
    assert "2025: 10,000 EUR; 3,000 PEN" in text
    assert "All years: 22,000.50 EUR; 3,000 PEN" in text
    assert "22,000.50 EUR in budget lines, of a funding of 25,000 EUR (2,999.50 EUR in no" in text
    assert "Add a budget line" not in text  # a funder reads it


def test_a_funders_lines_may_not_add_up_to_more_than_its_funding(budget):
    add(budget, amount=Decimal("20000"))
    with pytest.raises(ValidationError) as refused:
        add(budget, name="Staff", amount=Decimal("5000.01"))
    assert refused.value.message_dict["amount"] == [
        "Funder F's lines would add up to 25,000.01 EUR, more than its funding of 25,000 EUR."
    ]
    line = BudgetLine.objects.get()
    add(budget, line=line, amount=Decimal("25000"))  # changing a line counts it once
    assert BudgetLine.objects.get().amount == 25000


def test_every_problem_of_a_line_is_named_and_nothing_is_stored(budget):
    with pytest.raises(ValidationError) as refused:
        add(budget, name=" ", year=2031, amount=Decimal("-1"), currency="XYZ")
    assert refused.value.message_dict == {
        "name": ["Say what the line pays for."],
        "year": ["The project runs from 2024 to 2026: a line's year is one of those."],
        "amount": ["An amount cannot be negative."],
        "currency": ["“XYZ” is not an ISO 4217 currency code."],
    }
    with pytest.raises(ValidationError) as refused:
        add(budget, currency="USD")
    assert refused.value.message_dict["currency"] == [
        "Funder F's funding is in EUR: its lines are in EUR too, as the portal converts no "
        "currency."
    ]
    add(budget)
    with pytest.raises(ValidationError) as refused:
        add(budget, name="training WORKSHOPS")
    assert "this line for this year and funder already" in str(refused.value)
    assert BudgetLine.objects.count() == 1


def test_the_page_shows_every_problem_of_the_form_at_once(client, budget):
    client.force_login(budget["manager_a"])
    url = reverse("reporting:budget", args=[budget["project_a"].pk])
    answer = client.post(
        url,
        {
            "year": "2025",
            "name": "Staff",
            "funding": budget["funding"].pk,
            "amount": "30000",
            "currency": "USD",
        },
    )
    assert answer.status_code == 400
    assert "its lines are in EUR too" in answer.text
    assert not BudgetLine.objects.exists()
    saved = client.post(
        url,
        {
            "year": "2025",
            "name": "Staff",
            "funding": budget["funding"].pk,
            "amount": "30000",
            "currency": "EUR",
        },
    )
    assert saved.status_code == 400 and "more than its funding of 25,000 EUR" in saved.text


def test_only_the_projects_set_up_people_write_and_outsiders_get_404(client, budget):
    url = reverse("reporting:budget", args=[budget["project_a"].pk])
    line = add(budget)
    remove = reverse("reporting:remove-line", args=[budget["project_a"].pk, line.pk])
    with pytest.raises(PermissionDenied):
        add(budget, by=budget["editor_a"], name="Staff")
    client.force_login(budget["funder_viewer"])
    assert client.post(url, {"year": "2025", "name": "x", "amount": "1"}).status_code == 403
    assert client.post(remove).status_code == 403
    for outsider in (budget["outsider"], budget["editor_b"]):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(remove).status_code == 404
    assert BudgetLine.objects.count() == 1
    client.force_login(budget["manager_a"])
    client.post(remove)
    assert not BudgetLine.objects.exists()


def test_a_funding_with_budget_lines_is_not_removed(budget):
    add(budget)
    with pytest.raises(ValidationError) as refused:
        remove_funding(funding=budget["funding"], by=budget["manager_a"])
    assert "Funder F's funding has budget lines" in str(refused.value)
    assert Funding.objects.filter(pk=budget["funding"].pk).exists()


def test_the_budget_page_costs_the_same_queries_for_more_lines(client, budget):
    client.force_login(budget["manager_a"])
    url = reverse("reporting:budget", args=[budget["project_a"].pk])
    add(budget, amount=Decimal(1))

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = cost()
    for year in (2024, 2025, 2026):
        add(budget, name=f"Staff {year}", year=year, amount=Decimal(100))
        add(budget, name=f"Rent {year}", year=year, funding=None, amount=Decimal(5), currency="PEN")
    assert cost() == before
