from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from indicators import services
from tests.factories import (
    CategoryFactory,
    FundingFactory,
    IndicatorDimensionFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PeriodFactory,
    ProjectFactory,
    UserFactory,
)

TODAY = date(2025, 6, 1)


@pytest.fixture
def team(db):
    """An NGO implementing a project ("160 associates, 60 % women"), its people, a funder's
    viewer and an outsider."""
    ngo = OrganisationFactory(name="Recyclers NGO", short_name="RNGO")
    funder = OrganisationFactory(name="Donor", short_name="DON", kind="funder")
    project = ProjectFactory(planned_start=date(2024, 1, 1), planned_end=date(2026, 12, 31))
    PartnershipFactory(project=project, organisation=ngo)
    FundingFactory(project=project, funder=funder)
    women = CategoryFactory()
    men = CategoryFactory(dimension=women.dimension, slug="men", name="Men")
    indicator = IndicatorFactory(project=project, target_value=Decimal(160), unit="associates")
    IndicatorDimensionFactory(indicator=indicator, dimension=women.dimension, exhaustive=True)
    return {
        "ngo": ngo,
        "project": project,
        "indicator": indicator,
        "women": women,
        "men": men,
        "first_half": PeriodFactory(
            project=project, name="S1 2025", start=date(2025, 1, 1), end=date(2025, 6, 30)
        ),
        "editor": MembershipFactory(organisation=ngo, role="editor").user,
        "manager": MembershipFactory(organisation=ngo, role="manager").user,
        "admin": MembershipFactory(organisation=ngo, role="admin").user,
        "viewer": MembershipFactory(organisation=ngo, role="viewer").user,
        "funder": MembershipFactory(organisation=funder, role="viewer").user,
        "outsider": UserFactory(username="team-outsider"),
    }


def figures(**kwargs: Any) -> services.Figures:
    return services.Figures(**{"as_of": date(2025, 3, 1), **kwargs})


def report(team, *, user=None, submit=False, organisation=None, **kwargs):
    return services.create_update(
        indicator=team["indicator"],
        by=user or team["editor"],
        figures=figures(**kwargs),
        organisation=organisation,
        submit=submit,
        today=TODAY,
    )


def edit(update, user, **kwargs):
    """Change an update as `user`, from the version it is at now."""
    update.refresh_from_db()
    return services.edit_update(
        update=update,
        by=user,
        expected_version=update.version,
        figures=figures(**kwargs),
        today=TODAY,
    )


def report_with_file(team, name: str, content: bytes = b"%PDF-1.7 list"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.create_update(
        indicator=team["indicator"],
        by=team["editor"],
        figures=figures(value=Decimal(5)),
        evidence_file=SimpleUploadedFile(name, content),
        today=TODAY,
    )
