"""Every figure comes with its working: the approved updates it counts, the rule, the
baseline and target, the expected-by-now band and when it was computed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from indicators import services
from indicators.models import Indicator, ProgressUpdate
from partners.models import Organisation, User

pytestmark = pytest.mark.django_db
SUM_RULE = "Every approved update adds what was achieved since the one before"


@pytest.fixture
def ce1(demo):
    return Indicator.objects.select_related("project").get(code="CE-1")


def test_a_funder_follows_a_figure_from_the_drill_down_to_its_working(client, ce1):
    client.force_login(User.objects.get(username="eu-viewer"))
    eu = Organisation.objects.get(short_name="EU")
    drill_down = client.get(reverse("dashboard-project", args=[eu.pk, "funder", ce1.project_id]))
    working_url = f"{reverse('indicators:indicator', args=[ce1.pk])}#working"
    assert f'href="{working_url}"' in drill_down.text
    page = client.get(reverse("indicators:indicator", args=[ce1.pk])).text
    section = page[page.index('id="working"') :]
    approved = ProgressUpdate.objects.get(indicator=ce1, status="approved")
    assert "1 approved update counted" in section
    assert reverse("indicators:update", args=[approved.pk]) in section
    assert SUM_RULE in section
    assert "at least 75" in section
    assert "On track from" in section and "at risk from" in section
    assert "S2 2025" in section  # the period the update falls in


def test_an_update_a_later_one_replaces_is_shown_as_not_counted(
    client, ce1, django_capture_on_commit_callbacks
):
    Indicator.objects.filter(pk=ce1.pk).update(aggregation="latest")
    ce1.refresh_from_db()
    earlier = ProgressUpdate.objects.get(indicator=ce1, status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        later = services.create_update(
            indicator=ce1,
            by=User.objects.get(username="aspem-editor"),
            figures=services.Figures(as_of=earlier.as_of + timedelta(days=30), value=Decimal(40)),
            submit=True,
        )
        services.approve_update(update=later, by=User.objects.get(username="aspem-manager"))
    client.force_login(User.objects.get(username="eu-viewer"))
    api = client.get(f"/api/v1/indicators/{ce1.pk}/working/").json()
    counted = {row["id"]: row["counted"] for row in api["updates"]}
    assert counted == {earlier.pk: False, later.pk: True}
    assert api["achieved_value"] == 40 and api["updates_counted"] == 1
    page = client.get(reverse("indicators:indicator", args=[ce1.pk])).text
    assert "no: a later update replaces it" in page


def test_the_api_links_its_list_to_the_working_and_embeds_it_in_the_detail(ce1):
    ProgressUpdate.objects.create(
        indicator=ce1,
        organisation=ProgressUpdate.objects.filter(indicator=ce1).first().organisation,
        as_of=ce1.project.start_date,
        value=Decimal(5),
        status="submitted",
    )
    api = APIClient()
    api.force_authenticate(User.objects.get(username="eu-viewer"))
    listed = api.get("/api/v1/indicators/", {"project": ce1.project_id}).json()["results"]
    link = next(row["working_url"] for row in listed if row["id"] == ce1.pk)
    assert link.endswith(f"/api/v1/indicators/{ce1.pk}/working/")
    working = api.get(link).json()
    assert api.get(f"/api/v1/indicators/{ce1.pk}/").json()["working"] == working
    # The funder sees what the figure counts: approved updates only.
    assert [row["counted"] for row in working["updates"]] == [True]
    assert working["rule"].startswith(SUM_RULE)
    assert (working["target_value"], working["achieved_value"]) == (75, 30)
    assert working["on_track_from_percent"] == working["expected_percent"] - 15


def test_outsiders_get_404_on_the_working(client, ce1):
    api = APIClient()
    api.force_authenticate(User.objects.get(username="outsider"))
    assert api.get(f"/api/v1/indicators/{ce1.pk}/working/").status_code == 404
    client.force_login(User.objects.get(username="outsider"))
    assert client.get(reverse("indicators:indicator", args=[ce1.pk])).status_code == 404
