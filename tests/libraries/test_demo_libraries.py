"""The demo's libraries: CONAMOVIDI's network adds up what its project reports, and the EU
(an illustrative list) adds up the people trained in the two projects it funds."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from partners.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_the_eu_viewer_sees_people_trained_added_up_over_both_eu_funded_projects(client, demo):
    client.force_login(User.objects.get(username="eu-viewer"))
    eu = Organisation.objects.get(short_name="EU")
    page = client.get(reverse("dashboard", args=[eu.pk, "funder"]))
    [row] = page.context["standard"]
    assert row.library.name.endswith("(illustrative, demo codes)")
    assert (row.entry.code, row.results.total.value, row.results.total.parts) == (
        "DEMO-EU-1", D(180), {"sex/women": D(96)},
    )  # fmt: skip
    assert sorted(figure.indicator.code for figure in row.results.projects) == ["CE-2", "LID-2.2"]
    library = client.get(reverse("library", args=[row.library.pk])).text
    assert "Sex: Women: 96" in library


def test_conamovidis_network_sees_its_own_library_totals(client, demo):
    client.force_login(User.objects.get(username="conamovidi-manager"))
    network = Organisation.objects.get(short_name="CONAMOVIDI")
    page = client.get(reverse("dashboard", args=[network.pk, "network"]))
    totals = {row.entry.code: row.results.total.value for row in page.context["standard"]}
    # CN-1: the latest 372 leaders; CN-2: 5,400 + 4,100 + 3,900 + 2,700 meals; CN-3: 60 + 45.
    assert totals == {"CMV-1": D(372), "CMV-2": D(16100), "CMV-3": D(105)}
