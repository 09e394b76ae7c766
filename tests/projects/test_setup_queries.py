"""Set-up pages cost the same number of queries however much a project or organisation holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    BeneficiaryGroupFactory,
    FundingFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PeriodFactory,
    ProjectFactory,
    ResultFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow_project(project, count: int, start: int) -> None:
    for n in range(start, start + count):
        FundingFactory(project=project)
        PartnershipFactory(project=project, role=3)
        BeneficiaryGroupFactory(project=project, name=f"Group {n}")
        result = ResultFactory(project=project, number=str(n), order=n)
        IndicatorFactory(project=project, result=result, code=f"I{n}")
        IndicatorFactory(project=project, code=f"P{n}")


def test_project_set_up_pages_cost_a_constant_number_of_queries(client):
    ngo = OrganisationFactory()
    project = ProjectFactory()
    PartnershipFactory(project=project, organisation=ngo)
    PeriodFactory(project=project)
    client.force_login(MembershipFactory(organisation=ngo, role="manager").user)
    pages = [
        reverse("projects:setup", args=[project.pk]),
        reverse("indicators:framework", args=[project.pk]),
        reverse("indicators:periods", args=[project.pk]),
        reverse("projects:edit", args=[project.pk]),
    ]
    grow_project(project, 2, 1)
    small = [queries(client, url) for url in pages]
    grow_project(project, 12, 3)
    assert [queries(client, url) for url in pages] == small


def test_the_organisation_page_costs_a_constant_number_of_queries(client):
    ngo = OrganisationFactory()
    client.force_login(MembershipFactory(organisation=ngo, role="admin").user)
    url = reverse("organisation", args=[ngo.pk])
    MembershipFactory(organisation=ngo)
    small = queries(client, url)
    for _n in range(15):
        MembershipFactory(organisation=ngo, role="viewer")
    assert queries(client, url) == small
