"""A project of NGO A with a period (S1 2025) and a 2025 budget line of its funder F."""

from datetime import date
from decimal import Decimal

import pytest

from projects.models import Funding
from reporting import services
from reporting.models import PeriodReport
from tests.factories import MembershipFactory, PeriodFactory


def build_reporting(world: dict) -> dict:
    world["manager_a"] = MembershipFactory(organisation=world["ngo_a"], role="manager").user
    world["second_manager_a"] = MembershipFactory(organisation=world["ngo_a"], role="manager").user
    world["period"] = PeriodFactory(
        project=world["project_a"], name="S1 2025", start=date(2025, 1, 1), end=date(2025, 6, 30)
    )
    world["line"] = services.save_budget_line(
        project=world["project_a"],
        by=world["manager_a"],
        name="Training workshops",
        year=2025,
        amount=Decimal("10000"),
        currency="EUR",
        funding=Funding.objects.get(project=world["project_a"]),
    )
    return world


@pytest.fixture
def reporting(world):
    return build_reporting(world)


def write(reporting, **changes) -> PeriodReport:
    values = {
        "project": reporting["project_a"],
        "period": reporting["period"],
        "organisation": reporting["ngo_a"],
        "by": reporting["editor_a"],
        "sections": {"achievements": "Forty women trained as leaders.", "difficulties": ""},
        "women": 40,
        "men": 12,
        "expenditures": [
            services.ExpenditureInput(
                line=reporting["line"],
                amount=Decimal("6200.50"),
                evidence_url="https://example.org/receipts.pdf",
            )
        ],
    }
    values.update(changes)
    return services.save_report(**values)
