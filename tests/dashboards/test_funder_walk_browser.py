"""A funder's viewer, in Chromium on a phone, follows the women's 50-of-96 case from the
dashboard to the figure's working, the PDF and the spreadsheet: the same words everywhere."""

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from dashboards.iptt import FIXED_SHEETS
from indicators import services
from indicators.models import Indicator
from partners.models import Organisation, User
from tests.browser import MARKS, fits_the_screen, sign_in

pytestmark = [
    *MARKS,
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed"),
]
WORDS = "50 of 96, 46 to go — share 62.5 %, on course for 60 %"


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.django_db(transaction=True)
def test_the_funder_reads_50_of_96_women_on_every_page_and_file(
    live_server, page, tmp_path, demo_portal
):
    workers = Indicator.objects.select_related("project").get(code="CE-2")  # 160, 60 % women
    women = workers.indicator_dimensions.get().dimension.categories.get(slug="women")
    update = services.create_update(
        indicator=workers,
        by=User.objects.get(username="aspem-editor"),
        figures=services.Figures(
            as_of=date(2025, 12, 31), value=Decimal(80), parts={women: Decimal(50)}
        ),
        submit=True,
    )
    services.approve_update(update=update, by=User.objects.get(username="aspem-manager"))
    base = live_server.url
    eu = Organisation.objects.get(short_name="EU")

    sign_in(page, base, "eu-viewer")
    page.goto(f"{base}/dashboards/{eu.pk}/funder/")
    assert "people, in 2 beneficiary groups" in one_line(page.locator("main").inner_text())
    page.get_by_role("link", name=workers.project.title).click()
    card = page.locator(f"#indicator-{workers.pk}")
    assert WORDS in one_line(card.inner_text())
    assert "target met" not in card.inner_text()
    assert fits_the_screen(page)

    card.get_by_role("link", name="How this figure is worked out").click()
    page.wait_for_url(f"{base}/indicators/{workers.pk}/#working")
    working = one_line(page.locator("#working").inner_text())
    assert "1 approved update counted" in working
    assert "Women 50" in working and "31 Dec 2025" in working
    assert "Every approved update adds what was achieved" in working
    assert fits_the_screen(page)

    page.goto(f"{base}/projects/{workers.project_id}/report/")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download as PDF").click()
    pdf = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page-*.png"))  # it renders
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert WORDS in one_line(text)

    page.goto(f"{base}/projects/{workers.project_id}/")
    with page.expect_download() as xlsx_download:
        page.locator(f'a[href="/projects/{workers.project_id}/report.xlsx"]').click()
    xlsx_download.value.save_as(tmp_path / "iptt.xlsx")
    content = (tmp_path / "iptt.xlsx").read_bytes()
    table = pd.read_excel(io.BytesIO(content), sheet_name=FIXED_SHEETS)
    row = table[(table["Indicator code"] == "CE-2") & (table["Category"] == "Women")].iloc[0]
    assert (row["Target"], row["Cumulative actual"]) == (96, 50)
    assert row["Standing"] == WORDS
    assert row["Status"] == "Target not yet met"
