"""A dimension belongs to an organisation or is shared: set-up lists the organisation's own and
the shared ones, its managers translate its own, operators the shared ones."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators import services
from indicators.models import Dimension
from indicators.selectors import dimensions_for, may_translate_dimension
from indicators.services.setup import current_definition
from tests.factories import (
    CategoryFactory,
    IndicatorDimensionFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners(team):
    other = OrganisationFactory(name="Other NGO")
    other_manager = MembershipFactory(organisation=other, role="manager").user

    def dimension(slug, owner):
        found = Dimension.objects.create(slug=slug, name=slug.title(), kind="group", owner=owner)
        CategoryFactory(dimension=found, slug=f"{slug}-a", name="A")
        CategoryFactory(dimension=found, slug=f"{slug}-b", name="B")
        return found

    return {
        "other": other,
        "other_manager": other_manager,
        "own": dimension("own", team["ngo"]),
        "theirs": dimension("theirs", other),
        "shared": dimension("shared", None),
    }


def test_set_up_lists_the_organisations_own_and_the_shared_dimensions_only(client, team, owners):
    listed = set(dimensions_for(team["project"]).values_list("slug", flat=True))
    assert {"own", "shared"} <= listed and "theirs" not in listed
    client.force_login(team["manager"])
    page = client.get(reverse("indicators:new", args=[team["project"].pk])).text
    assert "Own" in page and "Shared" in page and "Theirs" not in page


def test_an_indicator_cannot_use_another_organisations_dimension(team, owners):
    definition = {
        **current_definition(team["indicator"]),
        "dimensions": [
            *current_definition(team["indicator"])["dimensions"],
            services.DimensionUse(dimension=owners["theirs"]),
        ],
    }
    with pytest.raises(ValidationError) as refused:
        services.change_indicator(
            indicator=team["indicator"], by=team["manager"], definition=definition
        )
    assert refused.value.message_dict["dimensions"] == ["Theirs belongs to another organisation."]


def test_managers_translate_their_own_dimensions_and_operators_the_shared_ones(
    client, team, owners
):
    operator = UserFactory(username="operator", is_superuser=True)
    assert may_translate_dimension(team["manager"], owners["own"])
    assert not may_translate_dimension(team["editor"], owners["own"])
    assert not may_translate_dimension(team["manager"], owners["shared"])
    assert not may_translate_dimension(owners["other_manager"], owners["own"])
    assert may_translate_dimension(operator, owners["shared"])
    with pytest.raises(PermissionDenied):
        services.translate_dimension(
            by=team["manager"], dimension=owners["shared"], translations={"es": ("Compartida", [])}
        )

    def status(user, dimension):
        client.force_login(user)
        return client.get(
            reverse("indicators:translate-dimension", args=[dimension.pk])
        ).status_code

    assert status(team["manager"], owners["own"]) == 200
    assert status(team["manager"], owners["shared"]) == 403
    assert status(team["manager"], owners["theirs"]) == 404  # not theirs to see
    assert status(team["outsider"], owners["own"]) == 404
    assert status(operator, owners["shared"]) == 200


def test_a_new_dimension_belongs_to_the_managers_organisation(client, team):
    client.force_login(team["manager"])
    client.post(
        reverse("indicators:new-dimension"),
        {"name": "Household head", "kind": "group", "categories": "Woman\nMan"},
    )
    assert Dimension.objects.get(name="Household head").owner == team["ngo"]
    with pytest.raises(PermissionDenied):
        services.create_dimension(
            by=team["manager"], owner=None, name="Shared", kind="group", categories=["A", "B"]
        )
    with pytest.raises(PermissionDenied):
        services.create_dimension(
            by=team["manager"],
            owner=OrganisationFactory(),
            name="Elsewhere",
            kind="group",
            categories=["A", "B"],
        )


def test_the_same_name_may_be_used_by_two_organisations_for_their_own(team, owners):
    mine = services.create_dimension(
        by=team["manager"], owner=team["ngo"], name="Theirs", kind="group", categories=["A", "B"]
    )
    assert mine.slug != owners["theirs"].slug


def test_the_migration_gives_a_dimension_used_by_one_organisation_to_it(team):
    only_ours = Dimension.objects.create(slug="only-ours", name="Only ours", kind="group")
    everyones = Dimension.objects.create(slug="everyones", name="Everyone's", kind="group")
    IndicatorDimensionFactory(indicator=team["indicator"], dimension=only_ours)
    elsewhere = ProjectFactory()
    PartnershipFactory(project=elsewhere, organisation=OrganisationFactory())
    for indicator in (team["indicator"], IndicatorFactory(project=elsewhere)):
        IndicatorDimensionFactory(indicator=indicator, dimension=everyones)
    importlib.import_module("indicators.migrations.0015_dimension_owners").owned_by_their_only_user(
        apps, None
    )
    only_ours.refresh_from_db()
    everyones.refresh_from_db()
    assert (only_ours.owner, everyones.owner) == (team["ngo"], None)
