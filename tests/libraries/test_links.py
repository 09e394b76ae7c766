"""A project's indicator is linked to a library's standard indicator only where the library is
one the project may use (its own organisation's, a confirmed funder's, a network's above them)
and the two count the same thing the same way; an indicator can be made from the library's,
in the project's language, linked at once."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators.models import Indicator
from libraries import services
from libraries.models import Link
from partners.models import Membership
from tests.factories import (
    DimensionFactory,
    FundingFactory,
    IndicatorDimensionFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

ROW = ["code", "name_en", "name_es", "name_fr", "measure", "unit", "aggregation", "disaggregations"]


def library_of(organisation, rows, name="Standard indicators"):
    keeper = MembershipFactory(organisation=organisation, role=Membership.Role.MANAGER).user
    return services.load_library(
        organisation=organisation,
        by=keeper,
        name=name,
        language="en",
        rows=[(n, dict(zip(ROW, row, strict=False))) for n, row in enumerate(rows, start=2)],
    )


@pytest.fixture
def world():
    sex = DimensionFactory()
    network = OrganisationFactory(name="Network", oversees_members=True)
    ngo = OrganisationFactory(name="Kitchen NGO", parent=network)
    project = ProjectFactory(language="es")
    PartnershipFactory(project=project, organisation=ngo)
    manager = MembershipFactory(organisation=ngo, role=Membership.Role.MANAGER).user
    funder = FundingFactory(project=project).funder
    stranger = OrganisationFactory(name="Unrelated")
    trained = [
        "TR-1",
        "Women leaders trained",
        "Lideresas capacitadas",
        "",
        "count",
        "people",
        "sum",
        "sex",
    ]
    return {
        "sex": sex,
        "project": project,
        "manager": manager,
        "network": library_of(network, [trained]).entries.get(),
        "funder": library_of(
            funder, [["F-1", "People trained", "", "", "count", "", "sum", ""]]
        ).entries.get(),
        "stranger": library_of(
            stranger, [["S-1", "People", "", "", "count", "", "sum", ""]]
        ).entries.get(),
    }


def test_an_indicator_made_from_the_networks_entry_speaks_the_projects_language_and_is_linked(
    world,
):
    indicator = services.create_from_entry(
        project=world["project"],
        entry=world["network"],
        by=world["manager"],
        code="1.1",
        target_value=Decimal(40),
    )
    assert indicator.name == "Lideresas capacitadas"  # the project is written in Spanish
    assert indicator.translated("name", "en") == "Women leaders trained"
    assert (indicator.measure, indicator.unit, indicator.aggregation) == ("count", "people", "sum")
    assert [d.slug for d in indicator.dimensions.all()] == ["sex"]
    assert indicator.library_link.entry == world["network"]


def test_a_library_with_no_tie_to_the_project_is_refused_and_nothing_is_stored(world):
    with pytest.raises(ValidationError) as refused:
        services.create_from_entry(
            project=world["project"], entry=world["stranger"], by=world["manager"], code="9"
        )
    assert "Unrelated's library is not one this project may use" in refused.value.messages[0]
    assert not Indicator.objects.filter(project=world["project"]).exists()


def test_an_incompatible_indicator_is_refused_with_every_reason(world):
    indicator = IndicatorFactory(
        project=world["project"], measure="percentage", aggregation="latest", unit="plans"
    )
    with pytest.raises(ValidationError) as refused:
        services.link_indicator(indicator=indicator, entry=world["network"], by=world["manager"])
    assert refused.value.messages == [
        "The indicator is a percentage, the library's a count.",
        "The indicator's figures combine as “Latest value”, the library's as “Sum of the updates”.",
        "The indicator counts plans, the library's people.",
        "The library asks for figures by Sex, which the indicator lacks.",
    ]
    assert not Link.objects.exists()


def test_a_compatible_indicator_links_to_a_confirmed_funders_entry_once_per_project(world):
    first = IndicatorFactory(project=world["project"], measure="count", aggregation="sum", code="A")
    second = IndicatorFactory(
        project=world["project"], measure="count", aggregation="sum", code="B"
    )
    services.link_indicator(indicator=first, entry=world["funder"], by=world["manager"])
    with pytest.raises(ValidationError) as refused:
        services.link_indicator(indicator=second, entry=world["funder"], by=world["manager"])
    assert "The project's indicator A is linked to it already" in refused.value.messages[0]


def test_an_unconfirmed_funders_library_is_not_offered(world):
    waiting = FundingFactory(project=world["project"], confirmed=False).funder
    MembershipFactory(organisation=waiting, role=Membership.Role.ADMIN)  # someone to confirm
    entry = library_of(waiting, [["W-1", "People", "", "", "count", "", "sum", ""]]).entries.get()
    indicator = IndicatorFactory(project=world["project"], measure="count", aggregation="sum")
    with pytest.raises(ValidationError):
        services.link_indicator(indicator=indicator, entry=entry, by=world["manager"])


def test_only_those_who_set_the_project_up_link_its_indicators(world, client):
    indicator = IndicatorFactory(project=world["project"], measure="count", aggregation="sum")
    editor = MembershipFactory(
        organisation=world["project"].partnerships.get().organisation, role=Membership.Role.EDITOR
    ).user
    with pytest.raises(PermissionDenied):
        services.link_indicator(indicator=indicator, entry=world["funder"], by=editor)
    outsider = MembershipFactory(role=Membership.Role.ADMIN).user
    client.force_login(outsider)
    assert client.get(reverse("library-link", args=[indicator.pk])).status_code == 404
    assert (
        client.get(reverse("indicator-from-library", args=[world["project"].pk])).status_code == 404
    )
    client.force_login(editor)
    assert client.get(reverse("library-link", args=[indicator.pk])).status_code == 403


def test_the_link_page_offers_only_compatible_entries_and_links(world, client):
    indicator = IndicatorFactory(
        project=world["project"], measure="count", aggregation="sum", unit="people"
    )
    IndicatorDimensionFactory(indicator=indicator, dimension=world["sex"])
    client.force_login(world["manager"])
    page = client.get(reverse("library-link", args=[indicator.pk]))
    offered = {entry.code for entry in page.context["entries"]}
    assert offered == {"TR-1", "F-1"}  # not the unrelated organisation's
    done = client.post(reverse("library-link", args=[indicator.pk]), {"entry": world["network"].pk})
    assert done.status_code == 302
    assert Link.objects.get().entry == world["network"]
    client.post(reverse("library-link", args=[indicator.pk]), {"action": "unlink"})
    assert not Link.objects.exists()


def test_making_an_indicator_from_the_page_in_spanish(world, client):
    client.force_login(world["manager"])
    client.cookies["django_language"] = "es"
    url = reverse("indicator-from-library", args=[world["project"].pk])
    refused = client.post(url, {"entry": world["network"].pk, "code": ""})
    assert refused.status_code == 400
    done = client.post(url, {"entry": world["network"].pk, "code": "1.2", "target_value": "30"})
    assert done.status_code == 302
    indicator = Indicator.objects.get(project=world["project"], code="1.2")
    assert (indicator.name, indicator.target_value) == ("Lideresas capacitadas", Decimal(30))
