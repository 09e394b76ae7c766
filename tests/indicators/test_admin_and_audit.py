"""The admin shows figures and definitions without changing them, nothing reported is ever
deleted through it, and every change of targets and updates, deletions included, is in the
history that the pages show."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from indicators import services
from indicators.history import deleted_updates_history, indicator_history
from indicators.models import CategoryTarget, Indicator, ProgressUpdate
from tests.factories import CategoryFactory, ProjectFactory

from .conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    staff = get_user_model().objects.create_superuser("operator", "op@example.org", "x")
    client.force_login(staff)
    return client


@pytest.fixture
def approved(team):
    update = report(team, value=Decimal(5000), submit=True)
    return services.approve_update(update=update, by=team["manager"])


def test_the_admin_shows_an_update_but_cannot_change_its_figures_or_status(operator, approved):
    url = f"/admin/indicators/progressupdate/{approved.pk}/change/"
    page = operator.get(url)
    assert page.status_code == 200
    assert b'name="value"' not in page.content and b'name="status"' not in page.content
    refused = operator.post(url, {"value": "999", "status": "draft", "version": "1"})
    assert refused.status_code == 403
    approved.refresh_from_db()
    assert (approved.value, approved.status) == (5000, "approved")
    assert operator.post("/admin/indicators/progressupdate/add/", {}).status_code == 403
    delete = f"/admin/indicators/progressupdate/{approved.pk}/delete/"
    assert operator.post(delete, {"post": "yes"}).status_code == 403
    assert ProgressUpdate.objects.filter(pk=approved.pk).exists()


def test_the_admin_does_not_change_indicators_targets_or_periods(operator, team):
    indicator = team["indicator"]
    url = f"/admin/indicators/indicator/{indicator.pk}/change/"
    assert operator.get(url).status_code == 200
    assert operator.post(url, {"target_value": "1"}).status_code == 403
    indicator.refresh_from_db()
    assert indicator.target_value == 160
    period = team["first_half"]
    assert operator.post(f"/admin/indicators/period/{period.pk}/change/", {}).status_code == 403


def test_deleting_a_project_or_organisation_in_the_admin_keeps_approved_updates(
    operator, team, approved
):
    project_delete = f"/admin/projects/project/{team['project'].pk}/delete/"
    assert operator.post(project_delete, {"post": "yes"}).status_code == 403  # archived instead
    organisation_delete = f"/admin/partners/organisation/{team['ngo'].pk}/delete/"
    operator.post(organisation_delete, {"post": "yes"})
    assert ProgressUpdate.objects.filter(pk=approved.pk, status="approved").exists()
    assert Indicator.objects.filter(pk=team["indicator"].pk).exists()


def test_defining_category_targets_writes_their_history_with_who(team, gender_group):
    dimension, women, _men = gender_group
    project = ProjectFactory()
    admin = team["admin"]

    def define(share):
        return services.define_indicator(
            project=project,
            code="CE-5",
            name="Associates",
            target_value=Decimal(160),
            dimensions=[services.DimensionUse(dimension=dimension)],
            category_targets=[services.CategoryTargetInput(category=women, share=share)],
            by=admin,
        )

    indicator = define(Decimal("0.6"))
    define(Decimal("0.5"))
    assert CategoryTarget.history.filter(indicator_id=indicator.pk).count() == 2
    entries = [e for e in indicator_history(indicator) if e.subject == women.name]
    assert [e.action for e in entries] == ["changed", "created"]
    assert all(e.who == str(admin) for e in entries)
    assert ("target share", "60 %", "50 %") in {(c.field, c.old, c.new) for c in entries[0].changes}


def test_a_deleted_update_stays_in_the_indicator_history_for_those_who_work_on_it(client, team):
    update = report(
        team, value=Decimal(5), parts={team["women"]: Decimal(3), team["men"]: Decimal(2)}
    )
    services.delete_update(update=update, by=team["editor"])
    entries = deleted_updates_history(team["indicator"])
    assert {e.action for e in entries} == {"created", "deleted"}
    deletion = next(e for e in entries if e.action == "deleted" and ":" not in e.subject)
    assert deletion.who == str(team["editor"])
    assert ("value", "5", None) in {(c.field, c.old, c.new) for c in deletion.changes}
    url = f"/indicators/{team['indicator'].pk}/"
    client.force_login(team["editor"])
    assert f"no. {update.pk}" in client.get(url).text
    client.force_login(team["funder"])
    assert f"no. {update.pk}" not in client.get(url).text


@pytest.fixture
def gender_group(db):
    women = CategoryFactory()
    men = CategoryFactory(dimension=women.dimension, slug="men", name="Men")
    return women.dimension, women, men
