"""Defining indicators from the portal: changes after approval, periods, copy and import."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from indicators import services
from indicators.models import (
    CategoryTarget,
    Dimension,
    Indicator,
    IndicatorSnapshot,
    PeriodTarget,
)
from indicators.services.setup import current_definition
from projects.models import Result
from tests.factories import PartnershipFactory, ProjectFactory, ResultFactory

from .conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(team):
    update = report(team, submit=True, value=Decimal(10))
    services.approve_update(update=update, by=team["manager"])
    return update


def change(team, **changes):
    indicator = team["indicator"]
    definition = {**current_definition(indicator), **changes}
    return services.change_indicator(indicator=indicator, by=team["manager"], definition=definition)


def test_after_approval_renaming_and_adding_a_category_target_are_allowed(team, approved):
    IndicatorSnapshot.objects.create(indicator=team["indicator"], computed_at=timezone.now())
    indicator = change(
        team,
        name="Associates of the recyclers' association",
        category_targets=[
            services.CategoryTargetInput(category=team["women"], share=Decimal("0.6"))
        ],
    )
    assert indicator.name == "Associates of the recyclers' association"
    assert CategoryTarget.objects.get(indicator=indicator).target_share == Decimal("0.6")
    assert IndicatorSnapshot.objects.get(indicator=indicator).stale_since is not None
    assert indicator.history.first().history_user == team["manager"]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("measure", "amount", "reported as “Count”"),
        ("unit", "people", "reported as “associates”"),
        ("aggregation", "latest", "Define a new indicator instead"),
        ("direction", "decrease", "Define a new indicator instead"),
    ],
)
def test_after_approval_changes_of_meaning_are_refused_with_the_reason(
    team, approved, field, value, reason
):
    changes = {field: value}
    if field == "direction":
        changes["baseline_value"] = Decimal(200)
    with pytest.raises(ValidationError, match=reason):
        change(team, **changes)
    team["indicator"].refresh_from_db()
    assert getattr(team["indicator"], field) != value


def test_after_approval_an_exhaustive_dimension_stays_exhaustive(team, approved):
    use = team["indicator"].indicator_dimensions.get()
    with pytest.raises(ValidationError, match="cover everyone"):
        change(team, dimensions=[services.DimensionUse(dimension=use.dimension, exhaustive=False)])


def test_without_approved_progress_the_measure_may_change(team):
    assert change(team, measure="amount", currency="PEN").measure == "amount"


def test_period_targets_are_set_changed_and_cleared_with_history(team):
    indicator, period = team["indicator"], team["first_half"]
    services.set_period_targets(
        indicator=indicator, by=team["manager"], targets={period: Decimal(40)}
    )
    services.set_period_targets(
        indicator=indicator, by=team["manager"], targets={period: Decimal(50)}
    )
    assert PeriodTarget.objects.get().target_value == 50
    with pytest.raises(ValidationError, match="negative"):
        services.set_period_targets(
            indicator=indicator, by=team["manager"], targets={period: Decimal(-1)}
        )
    services.set_period_targets(indicator=indicator, by=team["manager"], targets={period: None})
    assert not PeriodTarget.objects.exists()
    assert PeriodTarget.history.count() == 3


def test_a_framework_is_copied_with_disaggregation_into_an_empty_one(team):
    source = team["project"]
    outcome = ResultFactory(
        project=source, number="1", level="outcome", title="Recyclers organised"
    )
    Indicator.objects.filter(pk=team["indicator"].pk).update(result=outcome)
    CategoryTarget.objects.create(
        indicator=team["indicator"], category=team["women"], target_share=Decimal("0.6")
    )
    target = ProjectFactory(planned_start=date(2025, 1, 1), planned_end=date(2025, 12, 31))
    PartnershipFactory(project=target, organisation=team["ngo"])
    assert services.copy_framework(source=source, target=target, by=team["manager"]) == (1, 1)
    copy = target.indicators.get()
    assert copy.result.title == "Recyclers organised"
    assert copy.category_targets.get().target_share == Decimal("0.6")
    assert copy.indicator_dimensions.get().exhaustive
    with pytest.raises(ValidationError, match="has one already"):
        services.copy_framework(source=source, target=target, by=team["manager"])


def test_copying_from_a_project_one_cannot_see_is_refused(team):
    hidden = ProjectFactory()
    ResultFactory(project=hidden, number="1")
    with pytest.raises(ValidationError, match="you can see"):
        services.copy_framework(source=hidden, target=team["project"], by=team["manager"])
    assert not team["project"].results.exists()


def filled_template(results, indicators, targets=()) -> SimpleUploadedFile:
    from indicators.spreadsheets import framework as spreadsheet

    book = load_workbook(io.BytesIO(spreadsheet.template(Dimension.objects.all())))
    for name, rows in (
        ("Results", results),
        ("Indicators", indicators),
        ("Category targets", targets),
    ):
        sheet = book[name]
        sheet.delete_rows(2, sheet.max_row)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("framework.xlsx", buffer.getvalue())


GOOD_RESULTS = [
    ("1", "objective", "Women earn a living", ""),
    ("1.1", "outcome", "Women trained", ""),
]


def indicator_row(code="1.1.a", target=40, measure="count", disaggregation="sex (exhaustive)"):
    return [
        "1.1",
        code,
        "Women trained",
        "",
        measure,
        "women",
        "sum",
        "increase",
        None,
        None,
        "at_least",
        target,
        None,
        None,
        None,
        disaggregation,
    ]


def test_the_template_filled_in_imports_results_indicators_and_targets(team):
    sex = team["women"].dimension.slug
    upload = filled_template(
        GOOD_RESULTS,
        [indicator_row(disaggregation=f"{sex} (exhaustive)")],
        [("1.1.a", sex, team["women"].slug, None, 60)],
    )
    project = ProjectFactory(planned_start=date(2025, 1, 1), planned_end=date(2025, 12, 31))
    PartnershipFactory(project=project, organisation=team["ngo"])
    assert services.import_framework(project=project, by=team["manager"], upload=upload) == (2, 1)
    indicator = project.indicators.get()
    assert indicator.result.number == "1.1"
    assert indicator.result.parent.number == "1"
    assert indicator.category_targets.get().target_share == Decimal("0.6")


def test_an_import_with_bad_rows_names_each_and_stores_nothing(team):
    sex = team["women"].dimension.slug
    upload = filled_template(
        [*GOOD_RESULTS, ("1.1.1", "objective", "An objective under an outcome", "")],
        [
            indicator_row(),
            indicator_row(code="1.1.b", target="many"),
            indicator_row(code="1.1.c", measure="percentage", target=150, disaggregation=""),
            indicator_row(code="1.1.d", disaggregation="nowhere"),
        ],
        [("1.1.a", sex, team["women"].slug, 30, 60)],
    )
    project = ProjectFactory()
    PartnershipFactory(project=project, organisation=team["ngo"])
    with pytest.raises(ValidationError) as error:
        services.import_framework(project=project, by=team["manager"], upload=upload)
    messages = error.value.messages
    assert (
        "Results, row 4: A result at level “Objective” cannot contribute to one at level “Outcome”."
        in messages
    )
    assert "Indicators, row 3: Target is not a number." in messages
    assert any(m.startswith("Indicators, row 4:") and "above 100 %" in m for m in messages)
    assert (
        "Indicators, row 5: there is no dimension “nowhere”; see the Dimensions sheet." in messages
    )
    assert (
        "Category targets, row 2: give either a target value or a target share, not both."
        in messages
    )
    assert not Result.objects.filter(project=project).exists()
    assert not project.indicators.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_message(client, team):
    client.force_login(team["manager"])
    url = reverse("indicators:framework", args=[team["project"].pk])
    for content in (b"%PDF-1.7 not a spreadsheet", b"PK\x03\x04broken zip", b"\x00" * 50):
        response = client.post(
            url, {"action": "import", "import-spreadsheet": SimpleUploadedFile("f.xlsx", content)}
        )
        assert response.status_code == 400
        assert "not a spreadsheet the portal can read" in response.text
    book = Workbook()
    book.active.title = "Something else"
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        url,
        {"action": "import", "import-spreadsheet": SimpleUploadedFile("f.xlsx", buffer.getvalue())},
    )
    assert "no sheet called Results" in response.text
    assert not team["project"].results.exists()


def test_the_template_download_lists_the_dimensions(client, team):
    client.force_login(team["manager"])
    response = client.get(reverse("indicators:framework-template", args=[team["project"].pk]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Results", "Indicators", "Category targets", "Dimensions"]
    slugs = {row[1] for row in book["Dimensions"].iter_rows(min_row=2, values_only=True)}
    assert {team["women"].slug, "men"} <= slugs


def test_the_indicator_form_defines_dimensions_then_targets(client, team):
    client.force_login(team["manager"])
    dimension = team["women"].dimension
    response = client.post(
        reverse("indicators:new", args=[team["project"].pk]),
        {
            "code": "2.1",
            "name": "Recyclers with a contract",
            "measure": "count",
            "aggregation": "sum",
            "direction": "increase",
            "target_kind": "at_least",
            "target_value": "100",
            f"dimension_{dimension.pk}": "exhaustive",
        },
    )
    indicator = Indicator.objects.get(code="2.1")
    assert response.url == reverse("indicators:targets", args=[indicator.pk])
    targets = reverse("indicators:targets", args=[indicator.pk])
    over = client.post(
        targets, {f"share_{team['women'].pk}": "70", f"share_{team['men'].pk}": "40"}
    )
    assert over.status_code == 400 and "more than 100 %" in over.text
    both = client.post(
        targets, {f"share_{team['women'].pk}": "70", f"value_{team['women'].pk}": "7"}
    )
    assert "not both" in both.text
    assert not indicator.category_targets.exists()
    client.post(
        targets, {f"share_{team['women'].pk}": "60", f"period_{team['first_half'].pk}": "50"}
    )
    assert indicator.category_targets.get().target_share == Decimal("0.6")
    assert indicator.period_targets.get().target_value == 50


def test_editors_get_403_on_indicator_set_up_and_outsiders_404(client, team):
    indicator = team["indicator"]
    urls = [
        reverse("indicators:edit-indicator", args=[indicator.pk]),
        reverse("indicators:targets", args=[indicator.pk]),
        reverse("indicators:add-period", args=[team["project"].pk]),
        reverse("indicators:remove-period", args=[team["first_half"].pk]),
    ]
    for who, status in (("editor", 403), ("viewer", 403), ("funder", 403), ("outsider", 404)):
        client.force_login(team[who])
        for url in urls:
            assert (
                client.post(
                    url, {"name": "X", "start": "2025-07-01", "end": "2025-12-31"}
                ).status_code
                == status
            ), (who, url)
    assert team["project"].periods.count() == 1


def test_a_new_dimension_needs_two_distinct_categories_and_a_manager(team):
    def create(**kwargs):
        return services.create_dimension(owner=team["ngo"], **kwargs)

    with pytest.raises(ValidationError, match="at least two categories"):
        create(by=team["manager"], name="Place", kind="location", categories=["La Ensenada"])
    with pytest.raises(ValidationError, match="same name"):
        create(by=team["manager"], name="Place", kind="location", categories=["Lima", "lima"])
    with pytest.raises(PermissionDenied):
        create(by=team["editor"], name="Place", kind="location", categories=["A", "B"])
    place = create(
        by=team["manager"], name="Place", kind="location", categories=["La Ensenada", "Elsewhere"]
    )
    assert [c.name for c in place.categories.all()] == ["La Ensenada", "Elsewhere"]
    assert place.history.get().history_user == team["manager"]
    with pytest.raises(ValidationError, match="exists already"):
        create(by=team["admin"], name="place", kind="location", categories=["A", "B"])


def test_after_approval_the_edit_form_shows_the_measure_fixed_and_still_renames(
    client, team, approved
):
    client.force_login(team["manager"])
    url = reverse("indicators:edit-indicator", args=[team["indicator"].pk])
    page = client.get(url)
    assert "Fixed: progress has been approved in these terms." in page.text
    dimension = team["women"].dimension
    response = client.post(
        url,
        {
            "code": team["indicator"].code,
            "name": "Associates, renamed",
            "measure": "amount",
            "aggregation": "latest",
            "direction": "increase",
            "target_kind": "at_least",
            "target_value": "160",
            f"dimension_{dimension.pk}": "used",
        },
    )
    assert response.status_code == 302
    team["indicator"].refresh_from_db()
    assert (team["indicator"].name, team["indicator"].measure) == ("Associates, renamed", "count")
    assert team["indicator"].aggregation == "sum"
    assert team["indicator"].indicator_dimensions.get().exhaustive
