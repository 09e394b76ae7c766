import pytest

from tests.factories import (
    FundingFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    UserFactory,
)


@pytest.fixture
def world(db):
    """Two projects of two NGOs, a funder of the first, their people and an outsider."""
    ngo_a = OrganisationFactory(name="NGO A", short_name="A")
    ngo_b = OrganisationFactory(name="NGO B", short_name="B")
    funder = OrganisationFactory(name="Funder F", short_name="F", kind="funder")
    project_a = ProjectFactory(title="Project of A")
    project_b = ProjectFactory(title="Project of B")
    PartnershipFactory(project=project_a, organisation=ngo_a)
    PartnershipFactory(project=project_b, organisation=ngo_b)
    FundingFactory(project=project_a, funder=funder)
    return {
        "ngo_a": ngo_a,
        "ngo_b": ngo_b,
        "funder": funder,
        "project_a": project_a,
        "project_b": project_b,
        "editor_a": MembershipFactory(organisation=ngo_a, role="editor").user,
        "editor_b": MembershipFactory(organisation=ngo_b, role="editor").user,
        "funder_viewer": MembershipFactory(organisation=funder, role="viewer").user,
        "outsider": UserFactory(username="outsider"),
    }
