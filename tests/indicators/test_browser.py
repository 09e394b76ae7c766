"""The daily loop in a real browser: an editor reports, a manager approves, the figures show."""

import pytest

from indicators.models import Indicator, ProgressUpdate
from tests.browser import MARKS, PASSWORD, fits_the_screen, sign_in

pytestmark = MARKS


@pytest.mark.django_db(transaction=True)
def test_editor_reports_manager_approves_and_the_project_page_shows_it(
    live_server, page, demo_portal
):
    associates = Indicator.objects.get(code="CE-5")
    assert not associates.updates.filter(status="approved").exists()
    base = live_server.url

    sign_in(page, base, "aspem-editor")
    page.get_by_role("link", name="My indicators").click()
    card = page.locator("li.card", has_text="CE-5")
    card.get_by_role("link", name="Report progress").click()
    assert fits_the_screen(page)
    page.get_by_label("Women", exact=True).fill("50")
    page.get_by_label("Men", exact=True).fill("30")
    assert (
        page.get_by_label("Total", exact=True).input_value() == "80"
    )  # computed as the editor types
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review.").wait_for()
    update = ProgressUpdate.objects.get(indicator=associates)
    assert (update.status, update.value) == ("submitted", 80)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "aspem-manager")
    page.get_by_role("link", name="Review").click()
    page.locator("article.review", has_text="CE-5").get_by_role("button", name="Approve").click()
    page.get_by_text("Approved: the figures now count for funders.").wait_for()

    page.goto(f"{base}/projects/{associates.project_id}/")
    figures = page.locator(f"#indicator-{associates.pk}")
    assert "80 associates" in figures.locator(".achieved").inner_text()
    assert "50 %" in figures.locator(".achieved").inner_text()
    women = figures.locator("tr.category", has_text="Women").inner_text()
    assert "60 %" in women and "62.5 %" in women
    assert fits_the_screen(page)


@pytest.mark.django_db(transaction=True)
def test_guessed_passwords_lock_sign_in_with_a_page_that_says_so(live_server, page, demo_portal):
    refused_by_policy: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused_by_policy.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    base = live_server.url
    for _attempt in range(5):
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("aspem-editor")
        page.get_by_label("Password").fill("a guess")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    page.get_by_role("heading", name="Sign-in locked for now").wait_for()
    assert "Try again in 15 minutes" in page.content()
    assert fits_the_screen(page)

    page.get_by_role("link", name="Back to sign in").click()
    page.get_by_label("Username").fill("aspem-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Sign-in locked for now").wait_for()  # the right one too
    assert refused_by_policy == []
