"""The library's page, its workbook and the network's dashboard cost the same number of
queries however many projects link to the library."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from libraries import services
from partners.models import Membership
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PeriodFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def test_pages_and_workbook_cost_the_same_queries_for_more_linked_projects(client, network_results):
    library, viewer = network_results
    client.force_login(viewer)
    urls = [
        reverse("library", args=[library.pk]),
        reverse("library-results-xlsx", args=[library.pk]),
        reverse("dashboard", args=[library.organisation_id, "network"]),
    ]

    def costs() -> list[int]:
        counted = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                assert response.status_code == 200
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
            counted.append(len(queries))
        return counted

    before = costs()
    entry = library.entries.get()
    for _number in range(4):
        member = OrganisationFactory(parent=library.organisation)
        project = ProjectFactory()
        PartnershipFactory(project=project, organisation=member)
        PeriodFactory(project=project)
        services.create_from_entry(
            project=project,
            entry=entry,
            by=MembershipFactory(organisation=member, role=Membership.Role.MANAGER).user,
            code="1",
        )
    assert costs() == before
    assert len(library.entries.get().links.all()) == 7
