"""A network whose library two members' projects report against, with approved figures."""

from datetime import date
from decimal import Decimal

import pytest

from indicators import services as indicator_services
from indicators.services import Figures
from libraries import services
from partners.models import Membership
from tests.factories import (
    CategoryFactory,
    DimensionFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PeriodFactory,
    ProjectFactory,
)

D = Decimal


def build_network_results(capture):
    """Two members' projects report 30 and 12 women leaders trained (half of them women) in
    2024 against the network's NET-1; a third is linked and has no figure yet."""
    sex = DimensionFactory()
    women = CategoryFactory(dimension=sex, slug="women", name="Women")
    network = OrganisationFactory(name="Network", oversees_members=True)
    keeper = MembershipFactory(organisation=network, role=Membership.Role.MANAGER).user
    viewer = MembershipFactory(organisation=network, role=Membership.Role.VIEWER).user
    library = services.load_library(
        organisation=network,
        by=keeper,
        name="Network indicators",
        language="en",
        rows=[(2, {"code": "NET-1", "name_en": "Women leaders trained", "measure": "count",
                   "unit": "people", "disaggregations": "sex"})],
    )  # fmt: skip
    entry = library.entries.get()
    approved = {}
    for number, value in ((1, D(30)), (2, D(12))):
        member = OrganisationFactory(name=f"Member {number}", parent=network)
        project = ProjectFactory(title=f"Kitchens {number}")
        PartnershipFactory(project=project, organisation=member)
        manager = MembershipFactory(organisation=member, role=Membership.Role.MANAGER).user
        editor = MembershipFactory(organisation=member, role=Membership.Role.EDITOR).user
        PeriodFactory(project=project, name="2024", start=date(2024, 1, 1), end=date(2024, 12, 31))
        indicator = services.create_from_entry(project=project, entry=entry, by=manager, code="1")
        update = indicator_services.create_update(
            indicator=indicator,
            by=editor,
            figures=Figures(as_of=date(2024, 6, 1), value=value, parts={women: value / 2}),
            submit=True,
        )
        with capture(execute=True):  # the snapshots recompute
            indicator_services.approve_update(update=update, by=manager)
        approved[project.title] = value
    draft_project = ProjectFactory(title="Not yet")
    member = OrganisationFactory(parent=network)
    PartnershipFactory(project=draft_project, organisation=member)
    services.create_from_entry(
        project=draft_project,
        entry=entry,
        by=MembershipFactory(organisation=member, role=Membership.Role.MANAGER).user,
        code="1",
    )

    return library, viewer


@pytest.fixture
def network_results(db, django_capture_on_commit_callbacks):
    return build_network_results(django_capture_on_commit_callbacks)
