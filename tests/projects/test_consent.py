"""A funder or partner named by a project counts only once its administrators confirm."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from indicators.models import PortfolioSnapshot
from indicators.services import project_snapshots
from projects import services
from projects.models import Confirmation, Funding, Partnership
from projects.selectors import AWAITING, CONFIRMED, RECORDED, links_for_setup, visible_projects
from tests.factories import (
    FundingFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def naming(db):
    """An NGO's project, its manager, and a funder whose administrator and viewer use the
    portal."""
    ngo = OrganisationFactory(name="Mujeres Unidas", short_name="MU")
    project = ProjectFactory(title="Recicladoras de Lima", currency="PEN")
    PartnershipFactory(project=project, organisation=ngo)
    funder = OrganisationFactory(name="Fundación Andina", short_name="FA", kind="funder")
    return {
        "project": project,
        "ngo": ngo,
        "manager": MembershipFactory(organisation=ngo, role="manager").user,
        "funder": funder,
        "funder_admin": MembershipFactory(
            organisation=funder, role="admin", user__email="admin@andina.example"
        ).user,
        "funder_viewer": MembershipFactory(organisation=funder, role="viewer").user,
    }


def name_funder(naming, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return services.add_funding(
            project=naming["project"],
            by=kwargs.pop("by", naming["manager"]),
            funder=naming["funder"],
            amount=Decimal(12000),
            currency="PEN",
            **kwargs,
        )


def test_a_named_funder_sees_nothing_until_its_administrator_confirms(
    client, naming, django_capture_on_commit_callbacks
):
    project = naming["project"]
    name_funder(naming, django_capture_on_commit_callbacks)

    assert project not in visible_projects(naming["funder_viewer"])
    client.force_login(naming["funder_viewer"])
    assert client.get(reverse("project", args=[project.pk])).status_code == 404
    assert client.get(reverse("project-report-xlsx", args=[project.pk])).status_code == 404
    assert client.get("/api/v1/projects/").json()["results"] == []
    assert client.get(f"/api/v1/projects/{project.pk}/").status_code == 404
    assert not project.fundings.exists()  # not in any figure, file or roll-up
    project_snapshots.recompute_all_portfolios()  # what the periodic full recompute does
    assert not PortfolioSnapshot.objects.filter(
        organisation=naming["funder"], kind="funder", projects__gt=0
    ).exists()  # no funder dashboard shows it

    (asked,) = mail.outbox
    assert asked.to == ["admin@andina.example"]
    assert "Recicladoras de Lima" in asked.subject and "/projects/confirmations/" in asked.body

    client.force_login(naming["funder_admin"])
    page = client.get(reverse("projects:confirmations")).text
    assert "Recicladoras de Lima" in page and "12,000 PEN" in page
    assert (
        "Recicladoras de Lima"
        in client.get(reverse("organisation", args=[naming["funder"].pk])).text
    )
    client.post(
        reverse("projects:confirmation-action", args=[project.pk, naming["funder"].pk, "confirm"])
    )

    project_snapshots.recompute_all_portfolios()  # what the periodic full recompute does
    funded = PortfolioSnapshot.objects.get(organisation=naming["funder"], kind="funder")
    assert funded.projects == 1
    client.force_login(naming["funder_viewer"])
    assert client.get(reverse("project", args=[project.pk])).status_code == 200
    assert [p["id"] for p in client.get("/api/v1/projects/").json()["results"]] == [project.pk]
    confirmation = Confirmation.objects.get(project=project, organisation=naming["funder"])
    assert confirmation.confirmed_by == naming["funder_admin"]
    assert confirmation.history.get().history_user == naming["funder_admin"]


def test_the_ngo_sees_the_link_awaiting_confirmation_on_its_set_up_page(
    client, naming, django_capture_on_commit_callbacks
):
    name_funder(naming, django_capture_on_commit_callbacks)
    fundings, partnerships = links_for_setup(naming["project"])
    assert [link.consent for link in fundings] == [AWAITING]
    assert {link.item.organisation_id: link.consent for link in partnerships} == {
        naming["ngo"].pk: CONFIRMED,
        naming["funder"].pk: AWAITING,
    }
    client.force_login(naming["manager"])
    page = client.get(reverse("projects:setup", args=[naming["project"].pk])).text
    assert page.count("awaiting confirmation") == 2  # its funding and its funding role


def test_a_funder_without_an_administrator_is_recorded_by_name_until_it_gets_one(
    naming, django_capture_on_commit_callbacks
):
    unknown = OrganisationFactory(name="Municipalidad de Lima", kind="funder")
    viewer = MembershipFactory(organisation=unknown, role="viewer").user
    with django_capture_on_commit_callbacks(execute=True):
        services.add_funding(
            project=naming["project"],
            by=naming["manager"],
            funder=unknown,
            amount=None,
            currency="PEN",
        )
    assert mail.outbox == []
    fundings, _partners = links_for_setup(naming["project"])
    assert {link.item.funder_id: link.consent for link in fundings} == {unknown.pk: RECORDED}
    assert naming["project"] in visible_projects(viewer)

    MembershipFactory(organisation=unknown, role="admin")  # its first administrator

    fundings, _partners = links_for_setup(naming["project"])
    assert {link.item.funder_id: link.consent for link in fundings} == {unknown.pk: AWAITING}
    assert naming["project"] not in visible_projects(viewer)


def test_an_administrator_naming_their_own_organisation_confirms_at_once(
    naming, django_capture_on_commit_callbacks
):
    both = naming["funder_admin"]
    MembershipFactory(organisation=naming["ngo"], role="manager", user=both)
    name_funder(naming, django_capture_on_commit_callbacks, by=both)
    assert mail.outbox == []
    assert naming["project"] in visible_projects(naming["funder_viewer"])


def test_declining_removes_the_links_and_the_history_names_who_declined(
    client, naming, django_capture_on_commit_callbacks
):
    project, funder = naming["project"], naming["funder"]
    name_funder(naming, django_capture_on_commit_callbacks)
    client.force_login(naming["funder_admin"])
    client.post(reverse("projects:confirmation-action", args=[project.pk, funder.pk, "decline"]))
    assert not Funding.every.filter(project=project, funder=funder).exists()
    assert not Partnership.every.filter(project=project, organisation=funder).exists()
    removed = Funding.history.filter(project_id=project.pk, history_type="-").get()
    assert removed.history_user == naming["funder_admin"]


def test_nobody_but_the_named_organisations_administrators_confirms(
    client, naming, django_capture_on_commit_callbacks
):
    project, funder = naming["project"], naming["funder"]
    name_funder(naming, django_capture_on_commit_callbacks)
    url = reverse("projects:confirmation-action", args=[project.pk, funder.pk, "confirm"])
    for who in (
        naming["funder_viewer"],
        naming["manager"],
        MembershipFactory(organisation=OrganisationFactory(), role="admin").user,
        UserFactory(username="consent-outsider"),
    ):
        client.force_login(who)
        assert client.post(url).status_code == 404
        assert client.get(reverse("projects:confirmations")).status_code == 200
    with pytest.raises(PermissionDenied):
        services.confirm_involvement(project=project, organisation=funder, by=naming["manager"])
    assert not Confirmation.objects.filter(organisation=funder).exists()


def test_a_partner_named_by_another_ngo_awaits_too(naming, django_capture_on_commit_callbacks):
    other = OrganisationFactory(name="ASPEm")
    MembershipFactory(organisation=other, role="admin", user__email="admin@aspem.example")
    editor = MembershipFactory(organisation=other, role="editor").user
    with django_capture_on_commit_callbacks(execute=True):
        services.add_partner(
            project=naming["project"], by=naming["manager"], organisation=other, role=3
        )
    assert naming["project"] not in visible_projects(editor)
    assert len(mail.outbox) == 1


def test_links_stored_before_consent_existed_migrate_as_confirmed_in_the_history(db):
    project = ProjectFactory()
    funder = OrganisationFactory()
    MembershipFactory(organisation=funder, role="admin")
    FundingFactory(project=project, funder=funder, confirmed=False)
    PartnershipFactory(project=project, organisation=funder, role=1, confirmed=False)
    assert not Funding.objects.filter(project=project).exists()

    migration = importlib.import_module("projects.migrations.0006_confirmations")
    migration.confirm_links_already_stored(apps, None)

    assert Funding.objects.filter(project=project).exists()
    record = Confirmation.history.get(project_id=project.pk)
    assert record.history_change_reason == "named before consent was asked"
