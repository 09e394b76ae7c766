"""Who may touch an update: its own organisation's people, the project's lead for reviews, and
never the person who typed the figures for their approval."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from indicators import services
from indicators.models import ProgressUpdate
from indicators.services import workflow
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory

from .conftest import TODAY, edit, figures, report

pytestmark = pytest.mark.django_db
Status = ProgressUpdate.Status


@pytest.fixture
def consortium(team):
    """A second implementing organisation on the same project, and a lead organisation."""
    other = OrganisationFactory(name="Other NGO", short_name="ONGO")
    PartnershipFactory(project=team["project"], organisation=other)
    lead = OrganisationFactory(name="Lead NGO", short_name="LEAD")
    PartnershipFactory(project=team["project"], organisation=lead, role=2)
    return {
        **team,
        "other_editor": MembershipFactory(organisation=other, role="editor").user,
        "other_manager": MembershipFactory(organisation=other, role="manager").user,
        "lead_manager": MembershipFactory(organisation=lead, role="manager").user,
        "lead_editor": MembershipFactory(organisation=lead, role="editor").user,
    }


# Approving your own figures


def test_a_manager_who_saved_the_draft_cannot_approve_it_after_an_editor_submits(team):
    update = report(team, user=team["manager"], value=Decimal(5))
    services.submit_update(update=update, by=team["editor"])
    with pytest.raises(PermissionDenied, match="figures you entered"):
        services.approve_update(update=update, by=team["manager"])
    assert ProgressUpdate.objects.get(pk=update.pk).status == Status.SUBMITTED


def test_a_manager_who_changed_a_returned_update_cannot_approve_the_resubmission(team):
    update = report(team, value=Decimal(5), submit=True)
    services.return_update(update=update, by=team["manager"], note="Check the count")
    edit(update, team["manager"], value=Decimal(7))
    services.submit_update(update=update, by=team["editor"])
    with pytest.raises(PermissionDenied, match="figures you entered"):
        services.approve_update(update=update, by=team["manager"])
    another = MembershipFactory(organisation=team["ngo"], role="manager").user
    assert services.approve_update(update=update, by=another).status == Status.APPROVED


def test_changing_only_the_narrative_leaves_the_figures_with_their_author(team):
    update = report(team, value=Decimal(5), submit=True)
    services.return_update(update=update, by=team["manager"], note="Add a sentence")
    edit(update, team["manager"], value=Decimal(5), narrative="Workshops in March.")
    update.refresh_from_db()
    assert update.figures_changed_by == team["editor"]


def test_the_single_manager_of_an_organisation_approves_their_own(team):
    team["ngo"].single_manager = True
    team["ngo"].save()
    update = report(team, user=team["manager"], value=Decimal(5), submit=True)
    assert services.approve_update(update=update, by=team["manager"]).status == "approved"


# Other organisations on the same project


def test_another_organisation_cannot_edit_delete_submit_or_review_an_update(consortium):
    draft = report(consortium, value=Decimal(5))
    for act in (
        lambda: services.edit_update(
            update=draft,
            by=consortium["other_editor"],
            expected_version=draft.version,
            figures=figures(value=Decimal(9)),
            today=TODAY,
        ),
        lambda: services.delete_update(update=draft, by=consortium["other_editor"]),
        lambda: services.submit_update(update=draft, by=consortium["other_editor"]),
    ):
        with pytest.raises(PermissionDenied):
            act()
    draft.refresh_from_db()
    assert (draft.value, draft.status, draft.organisation) == (5, "draft", consortium["ngo"])
    services.submit_update(update=draft, by=consortium["editor"])
    for act in (
        lambda: services.approve_update(update=draft, by=consortium["other_manager"]),
        lambda: services.return_update(update=draft, by=consortium["other_manager"], note="no"),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert ProgressUpdate.objects.get(pk=draft.pk).status == Status.SUBMITTED


def test_an_edit_never_moves_an_update_to_another_organisation(consortium):
    other = consortium["other_editor"].memberships.get().organisation
    MembershipFactory(user=consortium["editor"], organisation=other, role="editor")
    update = report(consortium, value=Decimal(5), organisation=consortium["ngo"])
    with pytest.raises(ValidationError, match="stays with the organisation"):
        services.edit_update(
            update=update,
            by=consortium["editor"],
            expected_version=update.version,
            figures=figures(value=Decimal(5)),
            organisation=other,
            today=TODAY,
        )
    assert ProgressUpdate.objects.get(pk=update.pk).organisation == consortium["ngo"]


def test_the_lead_organisation_reviews_its_partners_but_does_not_edit_them(consortium):
    update = report(consortium, value=Decimal(5), submit=True)
    lead_manager, lead_editor = consortium["lead_manager"], consortium["lead_editor"]
    assert workflow.allowed_transitions(lead_manager, update) == {"approve", "return"}
    assert workflow.allowed_transitions(lead_editor, update) == set()
    approved = services.approve_update(update=update, by=lead_manager)
    assert approved.reviewed_by == lead_manager
    services.reopen_update(update=approved, by=lead_manager, reason="A typo")
    approved.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.edit_update(
            update=approved,
            by=lead_editor,
            expected_version=approved.version,
            figures=figures(value=Decimal(6)),
            today=TODAY,
        )


def test_a_partner_does_not_review_the_leads_updates(consortium):
    lead = consortium["lead_editor"].memberships.get().organisation
    update = services.create_update(
        indicator=consortium["indicator"],
        by=consortium["lead_editor"],
        figures=figures(value=Decimal(3)),
        organisation=lead,
        submit=True,
        today=TODAY,
    )
    with pytest.raises(PermissionDenied):
        services.approve_update(update=update, by=consortium["manager"])
    assert services.approve_update(update=update, by=consortium["lead_manager"])


def test_a_viewer_of_the_organisation_cannot_report_for_it(team):
    with pytest.raises(PermissionDenied):
        report(team, user=team["viewer"], value=Decimal(5))
    assert not ProgressUpdate.objects.exists()


def test_someone_reporting_for_two_organisations_must_say_which(consortium):
    other = consortium["other_editor"].memberships.get().organisation
    MembershipFactory(user=consortium["editor"], organisation=other, role="editor")
    with pytest.raises(ValidationError, match="Say which organisation"):
        report(consortium, value=Decimal(5))
    assert not ProgressUpdate.objects.exists()


# One rule for what is offered and what is allowed


@pytest.mark.parametrize("status", ["draft", "submitted", "approved", "returned"])
@pytest.mark.parametrize(
    "who", ["editor", "manager", "admin", "viewer", "funder", "outsider", "other_manager"]
)
def test_what_is_offered_is_exactly_what_the_services_allow(consortium, who, status):
    update = report(consortium, value=Decimal(5), submit=status != "draft")
    if status in ("approved", "returned"):
        reviewer = MembershipFactory(organisation=consortium["ngo"], role="manager").user
        if status == "approved":
            services.approve_update(update=update, by=reviewer)
        else:
            services.return_update(update=update, by=reviewer, note="Check")
    user = consortium[who]
    offered = workflow.allowed_transitions(user, ProgressUpdate.objects.get(pk=update.pk))
    acts = {
        "submit": lambda u: services.submit_update(update=u, by=user),
        "approve": lambda u: services.approve_update(update=u, by=user),
        "return": lambda u: services.return_update(update=u, by=user, note="x"),
        "reopen": lambda u: services.reopen_update(update=u, by=user, reason="x"),
        "delete": lambda u: services.delete_update(update=u, by=user),
        "edit": lambda u: services.edit_update(
            update=u,
            by=user,
            expected_version=u.version,
            figures=figures(value=Decimal(5)),
            today=TODAY,
        ),
    }
    for action, act in acts.items():
        fresh = ProgressUpdate.objects.get(pk=update.pk)
        allowed = True
        try:
            with transaction.atomic():
                act(fresh)
                transaction.set_rollback(True)
        except (PermissionDenied, ValidationError):
            allowed = False
        assert allowed == (action in offered), (who, status, action)


def test_a_request_key_used_by_someone_else_is_refused_with_a_message(consortium):
    import uuid

    key = uuid.uuid4()
    services.create_update(
        indicator=consortium["indicator"],
        by=consortium["editor"],
        figures=figures(value=Decimal(5)),
        request_key=key,
        today=TODAY,
    )
    with pytest.raises(ValidationError, match="already used"):
        services.create_update(
            indicator=consortium["indicator"],
            by=consortium["other_editor"],
            figures=figures(value=Decimal(6)),
            request_key=key,
            today=TODAY,
        )
    assert ProgressUpdate.objects.count() == 1
