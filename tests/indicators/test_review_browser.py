"""On a phone: an editor reports into the half-year that has ended while the next one runs, and
the manager's review shows that period, the figure so far and a repeat of the same figures."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators.models import PeriodTarget, ProgressUpdate
from tests.browser import MARKS, fits_the_screen
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PeriodFactory,
    ProjectFactory,
)

pytestmark = MARKS

PASSWORD = "secret-password"  # the factories' own


def halves_around(today: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """The half-year that ended last, and the one running today."""
    if today.month >= 7:
        running = (date(today.year, 7, 1), date(today.year, 12, 31))
        ended = (date(today.year, 1, 1), date(today.year, 6, 30))
    else:
        running = (date(today.year, 1, 1), date(today.year, 6, 30))
        ended = (date(today.year - 1, 7, 1), date(today.year - 1, 12, 31))
    return ended, running


def sign_in_as(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def report_first_half(page, base, indicator, period, *, offered_first):
    page.goto(f"{base}/indicators/{indicator.pk}/report/")
    chooser = page.get_by_label("Reporting period")
    offered = chooser.locator("option:checked").inner_text()
    assert offered.startswith("First half") == offered_first
    assert offered.endswith("overdue") == offered_first
    chooser.select_option(value=str(period.pk))
    page.get_by_label("Total", exact=True).fill("80")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review.").wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_report_into_the_ended_half_is_reviewed_with_its_period_and_a_repeat_warning(
    live_server, page
):
    today = timezone.localdate()
    (first_start, first_end), (second_start, second_end) = halves_around(today)
    ngo = OrganisationFactory(name="Mujeres Unidas", short_name="MU")
    project = ProjectFactory(
        title="Recicladoras de Lima",
        planned_start=first_start,
        planned_end=second_end + timedelta(days=365),
    )
    PartnershipFactory(project=project, organisation=ngo)
    indicator = IndicatorFactory(
        project=project, name="Recyclers trained", unit="recyclers", target_value=Decimal(160)
    )
    first = PeriodFactory(project=project, name="First half", start=first_start, end=first_end)
    PeriodFactory(project=project, name="Second half", start=second_start, end=second_end)
    PeriodTarget.objects.create(indicator=indicator, period=first, target_value=Decimal(80))
    editor = MembershipFactory(organisation=ngo, role="editor", user__username="rosa").user
    MembershipFactory(organisation=ngo, role="manager", user__username="ana")
    base = live_server.url

    sign_in_as(page, base, editor.username)
    # Due and ended, the first half is offered first and marked overdue.
    report_first_half(page, base, indicator, first, offered_first=True)
    update = ProgressUpdate.objects.get(indicator=indicator)
    assert (update.period_id, update.as_of, update.value) == (first.pk, first_end, 80)
    # Reported now, the running half is offered; the editor sends the same report again.
    report_first_half(page, base, indicator, first, offered_first=False)
    page.get_by_role("button", name="Sign out").click()

    sign_in_as(page, base, "ana")
    page.get_by_role("link", name="Review").click()
    cards = page.locator("article.review")
    assert cards.count() == 2
    card = cards.first.inner_text()
    assert "First half" in card and "Second half" not in card
    assert "Approved so far: nothing approved yet" in card
    assert "80 recyclers (50 %)" in card  # once approved, of the whole 160
    assert "80 recyclers (100 %)" in card  # of the half-year's 80
    assert "Likely a duplicate." in card
    assert fits_the_screen(page)

    cards.first.get_by_role("button", name="Approve").click()
    page.get_by_text("Approved: the figures now count for funders.").wait_for()
    card = page.locator("article.review").first.inner_text()
    assert "Approved so far: 80 recyclers (50 %)" in card
    assert "160 recyclers (100 %)" in card  # what approving the repeat would claim
    assert "Likely a duplicate." in card and "Approved" in card
    assert fits_the_screen(page)
