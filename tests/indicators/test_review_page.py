"""The review page shows what a manager needs to judge each update, and approves several at
once or none."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from indicators import services
from indicators.models import PeriodTarget, ProgressUpdate
from indicators.reviews import review_cards
from tests.factories import MembershipFactory, OrganisationFactory, PeriodFactory, UserFactory

from .conftest import TODAY, report


def submitted(team, value, **kwargs):
    return report(team, value=Decimal(value), submit=True, **kwargs)


def test_a_card_names_the_period_the_evidence_and_what_approving_makes_of_the_figures(client, team):
    PeriodTarget.objects.create(
        indicator=team["indicator"], period=team["first_half"], target_value=Decimal(80)
    )
    approved = submitted(team, 40, evidence_url="https://example.org/list-march.pdf")
    services.approve_update(update=approved, by=team["manager"])
    submitted(team, 30, narrative="Second workshop")

    client.force_login(team["manager"])
    text = client.get(reverse("indicators:review")).text

    assert "S1 2025" in text  # the period reported into
    assert "1 Jan 2025 – 30 Jun 2025" in text
    assert "None attached." in text  # the waiting update has no evidence
    assert "Approved so far:" in text
    assert "40 associates (25 %)" in text  # of the whole target, 160
    assert "70 associates</strong> (43.8 %)" in text  # once approved
    assert "40 associates (50 %)" in text  # of the period's target, 80
    assert "70 associates</strong> (87.5 %)" in text
    assert "period target 80 associates" in text


def test_an_identical_update_waiting_or_approved_is_flagged_as_a_likely_duplicate(team):
    first = submitted(team, 80)
    second = submitted(team, 80)
    different = submitted(team, 81)

    cards = {card.update.pk: card for card in review_cards(team["manager"])}

    assert [u.pk for u in cards[second.pk].repeats] == [first.pk]
    assert [u.pk for u in cards[first.pk].repeats] == [second.pk]
    assert cards[different.pk].repeats == ()

    services.approve_update(update=first, by=team["manager"])
    cards = {card.update.pk: card for card in review_cards(team["manager"])}
    assert [u.pk for u in cards[second.pk].repeats] == [first.pk]  # approved already


def test_the_same_figures_from_another_author_or_period_are_no_duplicate(team):
    colleague = MembershipFactory(organisation=team["ngo"], role="editor").user
    PeriodFactory(
        project=team["project"], name="S2 2024", start=date(2024, 7, 1), end=date(2024, 12, 31)
    )
    submitted(team, 80)
    submitted(team, 80, user=colleague)
    services.create_update(
        indicator=team["indicator"],
        by=team["editor"],
        figures=services.Figures(as_of=date(2024, 12, 31), value=Decimal(80)),
        submit=True,
        today=TODAY,
    )
    assert all(card.repeats == () for card in review_cards(team["manager"]))


def test_the_duplicate_warning_is_on_the_page(client, team):
    submitted(team, 80)
    submitted(team, 80)
    client.force_login(team["manager"])
    text = client.get(reverse("indicators:review")).text
    assert text.count("Likely a duplicate.") == 2


def test_a_manager_approves_the_ticked_updates_together(
    client, team, django_capture_on_commit_callbacks
):
    first, second, left = submitted(team, 10), submitted(team, 20), submitted(team, 30)
    client.force_login(team["manager"])
    assert "Approve the ticked updates" in client.get(reverse("indicators:review")).text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("indicators:review-approve"),
            {
                "approve": [first.pk, second.pk],
                f"version-{first.pk}": first.version,
                f"version-{second.pk}": second.version,
            },
            follow=True,
        )

    assert "2 updates approved." in response.text
    statuses = dict(ProgressUpdate.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "approved", second.pk: "approved", left.pk: "submitted"}
    team["indicator"].snapshot.refresh_from_db()
    assert team["indicator"].snapshot.achieved == Decimal(30)


def test_approving_together_approves_none_when_one_changed_meanwhile(client, team):
    first, second = submitted(team, 10), submitted(team, 20)
    stale_version = second.version
    services.return_update(update=second, by=team["manager"], note="Check the list")
    second.refresh_from_db()
    services.edit_update(
        update=second,
        by=team["editor"],
        expected_version=second.version,
        figures=services.Figures(as_of=date(2025, 3, 1), value=Decimal(21)),
        submit=True,
        today=TODAY,
    )
    client.force_login(team["manager"])
    response = client.post(
        reverse("indicators:review-approve"),
        {
            "approve": [first.pk, second.pk],
            f"version-{first.pk}": first.version,
            f"version-{second.pk}": stale_version,
        },
        follow=True,
    )
    assert "Nothing was approved." in response.text
    assert "changed since you opened the page" in response.text
    assert not ProgressUpdate.objects.filter(status="approved").exists()


def test_approving_together_names_each_refusal_and_approves_none(client, team):
    own = submitted(team, 10, user=team["manager"])
    other = submitted(team, 20)
    client.force_login(team["manager"])
    response = client.post(
        reverse("indicators:review-approve"),
        {
            "approve": [own.pk, other.pk],
            f"version-{own.pk}": own.version,
            f"version-{other.pk}": other.version,
        },
        follow=True,
    )
    assert "Nothing was approved." in response.text
    assert not ProgressUpdate.objects.filter(status="approved").exists()


def test_updates_outside_the_reviewers_queue_are_a_404(client, team):
    waiting = submitted(team, 10)
    data = {"approve": [waiting.pk], f"version-{waiting.pk}": waiting.version}
    for outsider in (
        team["outsider"],
        team["editor"],
        team["funder"],
        MembershipFactory(organisation=OrganisationFactory(), role="manager").user,
    ):
        client.force_login(outsider)
        assert client.post(reverse("indicators:review-approve"), data).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("indicators:review-approve")).status_code == 405
    waiting.refresh_from_db()
    assert waiting.status == "submitted"
