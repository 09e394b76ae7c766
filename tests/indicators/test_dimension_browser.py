"""A manager corrects a dimension's translation in Chromium, from an indicator's definition."""

import pytest
from django.core.management import call_command

from indicators.models import Dimension, Indicator
from tests.browser import MARKS, fits_the_screen, sign_in

pytestmark = MARKS


@pytest.mark.django_db(transaction=True)
def test_a_manager_corrects_a_dimensions_french_name_from_the_indicator_form(live_server, page):
    call_command("load_demo", "--reset-demo-accounts", verbosity=0)
    associates = Indicator.objects.get(code="CE-5")
    base = live_server.url
    sign_in(page, base, "aspem-manager")
    page.goto(f"{base}/indicators/{associates.pk}/edit/")
    page.get_by_role("link", name="Sex", exact=True).click()
    assert fits_the_screen(page)
    page.get_by_label("Name (français)", exact=True).fill("Sexe déclaré")
    page.get_by_role("button", name="Save the translations").click()
    page.get_by_text("The translations of Sex are saved.").wait_for()
    assert page.url.endswith(f"/indicators/{associates.pk}/edit/")
    sex = Dimension.objects.get(slug="sex")
    assert sex.translated("name", "fr") == "Sexe déclaré"
    assert sex.translated("name", "es") == "Sexo"  # the other languages kept theirs
