"""The IPTT as a funder's analyst uses it: read with pandas' defaults, filtered by level,
pivoted by period, printed."""

import io
from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.sheets import number_format
from dashboards.iptt import FIXED_SHEETS
from indicators import services
from indicators.models import Indicator, Period, ProgressUpdate
from partners.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def ce1_file(demo, client):
    """The CE project's IPTT, as the EU's viewer downloads it."""
    client.force_login(User.objects.get(username="eu-viewer"))
    ce1 = Indicator.objects.select_related("project").get(code="CE-1")
    response = client.get(reverse("project-report-xlsx", args=[ce1.project_id]))
    assert response.status_code == 200
    return ce1, b"".join(response.streaming_content)


def test_every_sheet_reads_with_pandas_defaults_one_header_row_then_data(ce1_file):
    ce1, content = ce1_file
    sheets = pd.read_excel(io.BytesIO(content), sheet_name=None)
    assert list(sheets)[:FIXED_SHEETS] == ["About", "Projects", "By period"]
    for name, frame in sheets.items():
        assert not [c for c in frame.columns if str(c).startswith("Unnamed")], name
    (project,) = sheets["Projects"].to_dict("records")
    assert project["Project code"] == ce1.project.code
    assert project["Implementers"] and project["Funders"] == "European Union"
    assert project["Start"] == pd.Timestamp(ce1.project.start_date)
    table = sheets[list(sheets)[FIXED_SHEETS]]
    # Every row says what it is and where it belongs.
    assert set(table["Level"]) == {"project", "result", "indicator", "category"}
    assert (table["Project code"] == ce1.project.code).all()
    below = table[table["Level"].isin(["indicator", "category"])]
    assert below["Indicator code"].notna().all()


def test_every_category_appears_with_its_figures_men_too(ce1_file):
    _ce1, content = ce1_file
    table = pd.read_excel(io.BytesIO(content), sheet_name=FIXED_SHEETS)
    rows = table[(table["Indicator code"] == "CE-1") & (table["Level"] == "category")]
    by_category = rows.set_index("Category")
    assert set(by_category.index) == {"Women", "Men"}
    assert by_category.loc["Women", "Target"] == 30
    assert by_category.loc["Women", "Cumulative actual"] == 13
    assert by_category.loc["Women", "Status"] == "Target not yet met"
    assert by_category.loc["Women", "Standing"] == (
        "13 of 30, 17 to go — share 43.3 %, on course for 40 %"
    )
    assert pd.isna(by_category.loc["Men", "Target"])  # no target, but its row is there


def test_the_by_period_sheet_pivots_categories_by_period(ce1_file):
    ce1, content = ce1_file
    long = pd.read_excel(io.BytesIO(content), sheet_name="By period")
    women = long[(long["Indicator code"] == "CE-1") & (long["Level"] == "category")]
    pivot = women.pivot_table(index="Category", columns="Period", values="Actual", aggfunc="sum")
    approved = ProgressUpdate.objects.get(indicator=ce1, status="approved")
    period = Period.objects.get(
        project=ce1.project, start__lte=approved.as_of, end__gte=approved.as_of
    )
    assert pivot.loc["Women", period.name] == 13
    indicator = long[(long["Indicator code"] == "CE-1") & (long["Level"] == "indicator")]
    reported = indicator.set_index("Period").loc[period.name]
    assert reported["Actual"] == 30
    assert approved.narrative in reported["Narrative"]
    # A period not begun has no figures: the cumulative one does not repeat there.
    future = Period.objects.filter(project=ce1.project, start__gt=timezone.localdate())
    for name in future.values_list("name", flat=True):
        assert pd.isna(indicator.set_index("Period").loc[name, "Cumulative actual"])


def test_a_share_target_gets_its_share_of_each_periods_target_and_a_percentage_met(
    demo, client, django_capture_on_commit_callbacks
):
    associates = Indicator.objects.select_related("project").get(code="CE-5")
    period = Period.objects.filter(project=associates.project).order_by("start").first()
    associates.period_targets.create(period=period, target_value=Decimal(40))
    women, men = (
        category
        for use in associates.indicator_dimensions.select_related("dimension")
        for category in use.dimension.categories.order_by("order")
    )
    with django_capture_on_commit_callbacks(execute=True):
        update = services.create_update(
            indicator=associates,
            by=User.objects.get(username="aspem-editor"),
            figures=services.Figures(
                as_of=period.start, parts={women: Decimal(18), men: Decimal(12)}
            ),
            submit=True,
        )
        services.approve_update(update=update, by=User.objects.get(username="aspem-manager"))
    client.force_login(User.objects.get(username="eu-viewer"))
    response = client.get(reverse("project-report-xlsx", args=[associates.project_id]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[FIXED_SHEETS]
    heads = [cell.value for cell in sheet[1]]
    rows = [dict(zip(heads, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    mine = {
        (row["Level"].value, row["Category"].value): row
        for row in rows
        if row["Indicator code"].value == "CE-5"
    }
    total = mine[("indicator", None)]
    assert total[f"{period.name} target"].value == 40
    assert total[f"{period.name} actual"].value == 30
    assert total[f"{period.name} % met"].value == pytest.approx(0.75)
    assert total[f"{period.name} % met"].number_format == "0.0%"
    woman = mine[("category", "Women")]
    assert woman[f"{period.name} target"].value == 24  # 60 % of the period's 40
    assert woman[f"{period.name} actual"].value == 18
    assert woman[f"{period.name} % met"].value == pytest.approx(0.75)
    man = mine[("category", "Men")]
    assert man[f"{period.name} target"].value is None
    assert man[f"{period.name} actual"].value == 12


def test_numbers_print_as_they_are_and_the_sheets_print_well(ce1_file):
    _ce1, content = ce1_file
    assert number_format(Decimal("160.0000")) == "#,##0"
    assert number_format(Decimal("12.5")) == "#,##0.0"
    assert number_format(Decimal("1234.25")) == "#,##0.00"
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[FIXED_SHEETS]
    heads = [cell.value for cell in sheet[1]]
    target = next(
        row[heads.index("Target")]
        for row in sheet.iter_rows(min_row=2)
        if row[heads.index("Indicator code")].value == "CE-1"
    )
    assert (target.value, target.number_format) == (75, "#,##0")
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert sheet.page_setup.orientation == "landscape", sheet.title
    computed = heads.index("Computed (UTC)")
    moments = [row[computed].value for row in sheet.iter_rows(min_row=2) if row[computed].value]
    assert moments and all(moment.microsecond == 0 for moment in moments)
