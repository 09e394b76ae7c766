"""Who sees which project: partners and funders do; everyone else gets 404."""

import pytest
from django.urls import reverse

from projects.selectors import visible_projects
from tests.factories import (
    FundingFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def page(project):
    return reverse("project", args=[project.pk])


def test_partner_staff_see_their_project_and_not_another(client, world):
    client.force_login(world["editor_a"])
    assert client.get(page(world["project_a"])).status_code == 200
    assert client.get(page(world["project_b"])).status_code == 404


def test_funder_sees_the_project_it_funds_and_nothing_else(client, world):
    client.force_login(world["funder_viewer"])
    assert client.get(page(world["project_a"])).status_code == 200
    assert client.get(page(world["project_b"])).status_code == 404


def test_outsider_gets_404_on_every_project_and_an_empty_portfolio(client, world):
    client.force_login(world["outsider"])
    for project in (world["project_a"], world["project_b"]):
        assert client.get(page(project)).status_code == 404
    response = client.get(reverse("portfolio-home"))
    assert response.status_code == 200
    assert "Project of A" not in response.text
    assert "You have no projects to see yet" in response.text


def test_unknown_project_is_404_like_a_hidden_one(client, world):
    client.force_login(world["editor_a"])
    assert client.get("/projects/999999/").status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(page(world["project_a"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_portfolio_lists_only_visible_projects(client, world):
    client.force_login(world["funder_viewer"])
    text = client.get(reverse("portfolio-home")).text
    assert "Project of A" in text
    assert "Project of B" not in text


def test_network_that_oversees_members_sees_their_projects(world):
    network = OrganisationFactory(name="Network", oversees_members=True)
    member = OrganisationFactory(name="Member", parent=network)
    grandchild = OrganisationFactory(name="Kitchen", parent=member)
    funded = ProjectFactory(title="Kitchen project")
    FundingFactory(project=funded, funder=grandchild)
    network_user = MembershipFactory(organisation=network, role="viewer").user
    assert list(visible_projects(network_user)) == [funded]


def test_network_that_does_not_oversee_members_sees_only_its_own(world):
    network = OrganisationFactory(name="Loose network", oversees_members=False)
    member = OrganisationFactory(name="Independent member", parent=network)
    FundingFactory(project=ProjectFactory(), funder=member)
    network_user = MembershipFactory(organisation=network, role="viewer").user
    assert list(visible_projects(network_user)) == []


def test_member_does_not_see_its_parents_projects(world):
    parent = OrganisationFactory(name="Parent", oversees_members=True)
    child = OrganisationFactory(name="Child", parent=parent)
    FundingFactory(project=ProjectFactory(), funder=parent)
    child_user = MembershipFactory(organisation=child, role="manager").user
    assert list(visible_projects(child_user)) == []


def test_inactive_user_sees_nothing(world):
    world["editor_a"].is_active = False
    world["editor_a"].save()
    assert list(visible_projects(world["editor_a"])) == []


def test_funder_that_is_also_a_partner_is_listed_once(world):
    PartnershipFactory(project=world["project_a"], organisation=world["funder"], role=1)
    assert list(visible_projects(world["funder_viewer"])) == [world["project_a"]]
