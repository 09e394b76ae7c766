"""A manager corrects a dimension's translation in Chromium, from an indicator's definition."""

import pytest

from indicators.models import Dimension, Indicator
from tests.browser import MARKS, fits_the_screen, sign_in

pytestmark = MARKS


@pytest.mark.django_db(transaction=True)
def test_a_manager_corrects_a_dimensions_french_name_from_the_indicator_form(
    live_server, page, demo_portal
):
    trained = Indicator.objects.get(code="CE-4")  # reported by district, ASPEm's own dimension
    district = Dimension.objects.get(slug="district")
    base = live_server.url
    sign_in(page, base, "aspem-manager")
    page.goto(f"{base}/indicators/{trained.pk}/edit/")
    # Sex is shared by every organisation: only the portal's operators retranslate it.
    assert page.get_by_role("link", name="Sex", exact=True).count() == 0
    page.get_by_role("link", name="District", exact=True).click()
    page.wait_for_url(f"{base}/dimensions/{district.pk}/translations/**")
    assert fits_the_screen(page)
    page.get_by_label("Name (français)", exact=True).fill("District municipal")
    page.get_by_role("button", name="Save the translations").click()
    page.get_by_text("The translations of District are saved.").wait_for()
    assert page.url.endswith(f"/indicators/{trained.pk}/edit/")
    district.refresh_from_db()
    assert district.translated("name", "fr") == "District municipal"
    assert district.translated("name", "es") == "Distrito"  # the other languages kept theirs
