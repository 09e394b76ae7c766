"""Setting an NGO up in a real browser, from an invitation to a funder's dashboard figures."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from indicators.models import CategoryTarget, Indicator, ProgressUpdate
from projects.models import Partnership, Project
from tests.browser import MARKS, PASSWORD, fits_the_screen, sign_in

pytestmark = MARKS

NEW_PASSWORD = "trained-women-40"


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def form_with(page, action: str):
    return page.locator("form", has=page.locator(f"input[name=action][value={action}]"))


@pytest.mark.django_db(transaction=True)
def test_an_ngo_sets_up_a_project_and_its_funder_sees_the_approved_figures(
    live_server, page, demo_portal
):
    base = live_server.url

    # The organisation's administrator invites a manager.
    sign_in(page, base, "mam-admin")
    page.get_by_role("link", name="Organisations").click()
    page.get_by_role("link", name="People and settings").click()
    invite = form_with(page, "invite")
    invite.get_by_label("E-mail").fill("lucia.torres@example.org")
    invite.get_by_label("Role").select_option("manager")
    invite.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("An invitation is on its way to lucia.torres@example.org.").wait_for()
    assert fits_the_screen(page)
    sign_out(page)

    # The manager accepts and chooses a password.
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/invitations/\S+/", mail.outbox[0].body)
    assert link is not None
    page.goto(link.group(0))
    page.get_by_label("Username").fill("lucia.torres")
    page.get_by_label("First name").fill("Lucía")
    page.get_by_label("Last name").fill("Torres")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_text("Welcome: you now work with Mano a Mano Peru.").wait_for()

    # … creates a project with a funder and a partner …
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Code").fill("mam-trades-2025")
    page.get_by_label("Title", exact=True).fill("Women of La Ensenada learn a trade")
    page.get_by_label("Title (español)").fill("Las mujeres de La Ensenada aprenden un oficio")
    page.get_by_label("Planned start").fill("2025-01-01")
    page.get_by_label("Planned end").fill("2025-12-31")
    # Active, as the form offers: it has begun, so it says when.
    page.get_by_label("Actual start").fill("2025-01-01")
    page.get_by_label("Total budget").fill("20000")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Create the project").click()
    page.get_by_role("heading", name="Set-up").wait_for()
    page.get_by_text("Add funding").click()
    funding = form_with(page, "funding")
    funding.get_by_label("Organisation").select_option(label="setec Foundation")
    funding.get_by_label("Amount").fill("12000")
    funding.get_by_role("button", name="Record the funding").click()
    page.get_by_text("The funding is recorded.").wait_for()
    # setec has an administrator in the portal: it is asked before it is named.
    assert (
        "awaiting confirmation"
        in page.locator("li", has_text="setec Foundation").first.inner_text()
    )
    page.get_by_text("Add a partner").click()
    partner = form_with(page, "partner")
    partner.get_by_label("Organisation").select_option(
        label="Solidarity Association of Emerging Countries"
    )
    partner.get_by_label("Role").select_option(label="Extending")
    partner.get_by_role("button", name="Add the partner").click()
    page.get_by_text("The partner is added.").wait_for()
    assert fits_the_screen(page)

    # … an outcome, two half-year periods …
    page.get_by_role("link", name="Results framework and indicators").click()
    result = form_with(page, "result")
    result.get_by_label("Level").select_option("outcome")
    result.get_by_label("Title", exact=True).fill("Women earn a living from a trade")
    result.get_by_role("button", name="Add the result").click()
    page.get_by_text("Outcome 1 is added.").wait_for()
    page.get_by_role("link", name="Reporting periods").first.click()
    for name, start, end in (
        ("First half 2025", "2025-01-01", "2025-06-30"),
        ("Second half 2025", "2025-07-01", "2025-12-31"),
    ):
        page.get_by_label("Name").fill(name)
        page.get_by_label("Start").fill(start)
        page.get_by_label("End").fill(end)
        page.get_by_role("button", name="Add the period").click()
        page.get_by_text(f"The period {name} is added.").wait_for()
    assert fits_the_screen(page)

    # … and the indicator: at least 40 women trained, 60 % of them from La Ensenada.
    project = Project.objects.get(code="mam-trades-2025")
    page.goto(f"{base}/projects/{project.pk}/framework/")
    page.get_by_role("link", name="New indicator").click()
    page.get_by_role("link", name="New dimension").click()
    page.get_by_label("Name", exact=True).fill("Place of residence")
    page.get_by_label("Kind").select_option("location")
    page.get_by_label("Categories, one per line", exact=True).fill("La Ensenada\nElsewhere")
    page.get_by_role("button", name="Create the dimension").click()
    page.get_by_role("heading", name="New indicator").wait_for()
    page.get_by_label("Code").fill("1.1.a")
    page.get_by_label("Name", exact=True).fill("Women trained in a trade")
    page.get_by_label("Result it measures").select_option(
        label="1. Women earn a living from a trade"
    )
    page.get_by_label("Unit", exact=True).fill("women")
    page.get_by_label("Target value").fill("40")
    page.get_by_label("Place of residence").select_option("exhaustive")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Save and set targets").click()
    page.get_by_label("La Ensenada, share (%)").fill("60")
    assert fits_the_screen(page)
    page.get_by_label("First half 2025").fill("20")
    page.get_by_label("Second half 2025").fill("40")
    page.get_by_role("button", name="Save the targets").click()
    page.get_by_text("The targets are saved.").wait_for()
    indicator = Indicator.objects.get(project=project, code="1.1.a")
    assert indicator.target_value == 40
    assert CategoryTarget.objects.get(indicator=indicator).target_share == Decimal("0.6")
    # ASPEm is named as extending partner, but counts only once its administrator confirms.
    assert Partnership.every.filter(project=project, role=Partnership.Role.EXTENDING).exists()
    assert not project.partnerships.filter(role=Partnership.Role.EXTENDING).exists()
    assert project.translated("title", "es") == "Las mujeres de La Ensenada aprenden un oficio"
    sign_out(page)

    # An editor reports 30: 20 from La Ensenada, 10 from elsewhere.
    sign_in(page, base, "mam-editor")
    page.goto(f"{base}/indicators/{indicator.pk}/report/")
    first_half = project.periods.get(name="First half 2025")
    page.get_by_label("Reporting period").select_option(value=str(first_half.pk))
    page.get_by_label("La Ensenada", exact=True).fill("20")
    page.get_by_label("Elsewhere", exact=True).fill("10")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review.").wait_for()
    sign_out(page)

    # The new manager approves.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("lucia.torres")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Review").click()
    page.locator("article.review", has_text="1.1.a").get_by_role("button", name="Approve").click()
    page.get_by_text("Approved: the figures now count for funders.").wait_for()
    assert ProgressUpdate.objects.get(indicator=indicator).status == "approved"
    sign_out(page)

    # Until setec confirms, its people do not see the project; its administrator confirms.
    sign_in(page, base, "setec-viewer")
    assert page.goto(f"{base}/projects/{project.pk}/").status == 404
    sign_out(page)
    sign_in(page, base, "setec-admin")
    page.goto(f"{base}/projects/confirmations/")
    awaiting = page.locator("article", has_text="Women of La Ensenada learn a trade")
    assert "12,000 PEN" in awaiting.inner_text()
    assert fits_the_screen(page)
    awaiting.get_by_role("button", name="Confirm").click()
    page.get_by_text("takes part in Women of La Ensenada learn a trade: confirmed.").wait_for()
    sign_out(page)

    # The funder's viewer sees 75 % of the target, and La Ensenada at 66.7 % against 60 %.
    sign_in(page, base, "setec-viewer")
    page.goto(f"{base}/projects/{project.pk}/")
    figures = page.locator(f"#indicator-{indicator.pk}")
    achieved = figures.locator(".achieved").inner_text()
    assert "30 women" in achieved and "75 %" in achieved
    la_ensenada = figures.locator("tr.category", has_text="La Ensenada").inner_text()
    assert "60 %" in la_ensenada and "66.7 %" in la_ensenada
    assert fits_the_screen(page)
    assert PASSWORD  # the demo accounts kept their password throughout
