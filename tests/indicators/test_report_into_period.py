"""Reporting into a period: the period chosen decides where an update lands, in the form, the
API, the import and the services alike; what is due is said the same way everywhere."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import create_token
from indicators import services
from indicators.models import ProgressUpdate
from indicators.selectors import Due, periods_due
from indicators.spreadsheets.progress import header
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PeriodFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(db):
    """A project whose first semester has ended and whose second is running today."""
    today = timezone.localdate()
    ngo = OrganisationFactory(name="Barrio NGO", short_name="BNGO")
    project = ProjectFactory(
        planned_start=today - timedelta(days=400), planned_end=today + timedelta(days=400)
    )
    PartnershipFactory(project=project, organisation=ngo)
    first = PeriodFactory(
        project=project,
        name="Primer semestre",
        start=today - timedelta(days=300),
        end=today - timedelta(days=100),
    )
    second = PeriodFactory(
        project=project,
        name="Segundo semestre",
        start=today - timedelta(days=99),
        end=today + timedelta(days=80),
    )
    indicator = IndicatorFactory(project=project, code="TW-1", target_value=Decimal(10))
    return {
        "today": today,
        "project": project,
        "first": first,
        "second": second,
        "indicator": indicator,
        "editor": MembershipFactory(organisation=ngo, role="editor").user,
        "manager": MembershipFactory(organisation=ngo, role="manager").user,
        "admin": MembershipFactory(organisation=ngo, role="admin").user,
    }


def create(running, **figures):
    return services.create_update(
        indicator=running["indicator"],
        by=running["editor"],
        figures=services.Figures(**figures),
        today=running["today"],
    )


# The services


def test_an_ended_period_chosen_files_the_update_there_as_of_its_end(running):
    update = create(running, period=running["first"], value=Decimal(4))
    assert update.period == running["first"]
    assert update.as_of == running["first"].end


def test_a_running_period_chosen_files_the_update_there_as_of_today(running):
    update = create(running, period=running["second"], value=Decimal(4))
    assert (update.period, update.as_of) == (running["second"], running["today"])


def test_a_date_inside_the_chosen_period_is_kept(running):
    inside = running["first"].start + timedelta(days=3)
    update = create(running, period=running["first"], as_of=inside, value=Decimal(4))
    assert (update.period, update.as_of) == (running["first"], inside)


def test_a_date_outside_the_chosen_period_is_refused_naming_both(running):
    with pytest.raises(ValidationError) as refused:
        create(running, period=running["first"], as_of=running["today"], value=Decimal(4))
    message = " ".join(refused.value.message_dict["as_of"])
    assert "Primer semestre" in message
    assert running["today"].strftime("%Y") in message and "outside the period" in message
    assert not ProgressUpdate.objects.exists()


def test_a_period_of_another_project_or_not_yet_begun_is_refused(running):
    elsewhere = PeriodFactory(project=ProjectFactory())
    later = PeriodFactory(
        project=running["project"],
        name="Tercer semestre",
        start=running["today"] + timedelta(days=81),
        end=running["today"] + timedelta(days=200),
    )
    for period, words in ((elsewhere, "another project"), (later, "has not started")):
        with pytest.raises(ValidationError) as refused:
            create(running, period=period, value=Decimal(1))
        assert words in " ".join(refused.value.message_dict["period"])
    assert not ProgressUpdate.objects.exists()


def test_every_problem_of_an_update_is_said_at_once(running):
    with pytest.raises(ValidationError) as refused:
        create(
            running,
            as_of=running["today"] + timedelta(days=1),
            value=None,
            narrative="a\x00b",
        )
    assert set(refused.value.message_dict) == {"as_of", "value", "narrative"}


# The form


def test_the_form_leads_with_the_overdue_period_and_leaves_the_date_to_follow(client, running):
    client.force_login(running["editor"])
    page = client.get(reverse("indicators:report", args=[running["indicator"].pk])).text
    assert page.index('name="period"') < page.index('name="as_of"')
    selected = page[page.index('name="period"') :].split("</select>")[0]
    assert f'value="{running["first"].pk}" selected' in selected
    assert "Primer semestre" in selected and "overdue" in selected
    assert 'name="as_of" value=' not in page  # no date pre-filled to override the period


def test_choosing_the_first_semester_while_the_second_runs_lands_in_the_first(client, running):
    client.force_login(running["editor"])
    url = reverse("indicators:report", args=[running["indicator"].pk])
    client.post(url, {"period": running["first"].pk, "as_of": "", "value": "4", "action": "submit"})
    update = ProgressUpdate.objects.get()
    assert (update.period, update.as_of) == (running["first"], running["first"].end)


def test_a_form_with_todays_date_and_an_earlier_period_is_refused(client, running):
    client.force_login(running["editor"])
    url = reverse("indicators:report", args=[running["indicator"].pk])
    response = client.post(
        url,
        {
            "period": running["first"].pk,
            "as_of": running["today"].isoformat(),
            "value": "4",
            "action": "submit",
        },
    )
    assert response.status_code == 200
    assert "outside the period Primer semestre" in response.text
    assert not ProgressUpdate.objects.exists()


def test_the_form_shows_field_and_service_errors_together(client, running):
    client.force_login(running["editor"])
    url = reverse("indicators:report", args=[running["indicator"].pk])
    response = client.post(
        url,
        {
            "period": running["first"].pk,
            "as_of": running["today"].isoformat(),  # outside the period: a service check
            "value": "-4",  # refused by the field itself
            "narrative": "x" * 20_001,  # refused by the field itself
            "action": "submit",
        },
    )
    errors = response.context["form"].errors
    assert {"as_of", "value", "narrative"} <= set(errors)
    assert not ProgressUpdate.objects.exists()


def test_an_impossible_date_is_named_as_such(client, running):
    client.force_login(running["editor"])
    url = reverse("indicators:report", args=[running["indicator"].pk])
    response = client.post(url, {"as_of": "2031-02-30", "value": "4", "action": "submit"})
    assert "This date does not exist" in response.text
    assert "Give the as-of date" not in response.text


# What is due


def test_due_periods_put_the_overdue_first_and_skip_gaps_behind_what_was_reported(running):
    first, second = running["first"], running["second"]
    older = PeriodFactory(
        project=running["project"],
        name="Old month",
        start=running["today"] - timedelta(days=399),
        end=running["today"] - timedelta(days=370),
    )
    today = running["today"]
    assert periods_due([older, first, second], set(), today=today) == [
        Due(older, True),
        Due(first, True),
        Due(second, False),
    ]
    # Once the first semester is reported, the month before it is no longer nagged about.
    assert periods_due([older, first, second], {first.pk}, today=today) == [Due(second, False)]


def test_my_indicators_marks_the_overdue_semester_before_the_running_one(client, running):
    client.force_login(running["editor"])
    page = client.get(reverse("indicators:mine")).text
    due = page[page.index("Primer semestre") :]
    assert "overdue" in due.split("Segundo semestre")[0]


def test_a_closed_project_has_nothing_due(client, running):
    running["project"].status = "closed"
    running["project"].save()
    client.force_login(running["editor"])
    page = client.get(reverse("indicators:mine")).text
    assert "Primer semestre" not in page and "nothing due" in page


# The import and the API


def sheet(project, rows):
    columns = header(project)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue()


def test_the_import_takes_rows_of_the_running_period(client, running):
    client.force_login(running["editor"])
    text = sheet(
        running["project"],
        [{"Indicator code": "TW-1", "Period": "Segundo semestre", "Value": "3"}],
    )
    url = reverse("indicators:import", args=[running["project"].pk])
    checked = client.post(url, {"spreadsheet": SimpleUploadedFile("p.csv", text.encode())})
    assert checked.status_code == 200, [p.message for p in checked.context["outcome"].problems]
    client.post(url, {"token": checked.context["token"]})
    update = ProgressUpdate.objects.get()
    assert (update.period, update.as_of) == (running["second"], running["today"])


def test_the_import_lists_every_problem_of_a_row(client, running):
    percentage = IndicatorFactory(
        project=running["project"], code="TW-2", measure="percentage", aggregation="sum"
    )
    assert percentage.pk
    client.force_login(running["editor"])
    text = sheet(
        running["project"],
        [
            {
                "Indicator code": "TW-2",
                "Period": "Primer semestre",
                "As of": running["today"].isoformat(),
                "Organisation": "NOPE",
                "Numerator": "9",
                "Denominator": "4",
            },
            {"Indicator code": "TW-1", "Period": "Primer semestre", "Value": "1e20"},
        ],
    )
    url = reverse("indicators:import", args=[running["project"].pk])
    response = client.post(url, {"spreadsheet": SimpleUploadedFile("p.csv", text.encode())})
    problems = {(p.row, p.column) for p in response.context["outcome"].problems}
    assert {(2, "As of"), (2, "Organisation"), (2, "Numerator"), (3, "Value")} <= problems
    assert not ProgressUpdate.objects.exists()


HOSTILE = ["\x00", "1e20", "-5", "NaN", "Infinity", "=1+1", "x" * 30_000, "2031-02-30", "150"]


@pytest.mark.parametrize("column", ["Indicator code", "Period", "As of", "Organisation", "Value"])
def test_no_hostile_cell_value_causes_an_error_page(client, running, column):
    client.force_login(running["editor"])
    url = reverse("indicators:import", args=[running["project"].pk])
    columns = header(running["project"])
    for value in HOSTILE:
        base = {"Indicator code": "TW-1", "Period": "Primer semestre", "Value": "3"}
        text = sheet(running["project"], [{**base, column: value}])
        response = client.post(url, {"spreadsheet": SimpleUploadedFile("p.csv", text.encode())})
        assert response.status_code in (200, 400), (column, value)
    for value in HOSTILE:
        text = sheet(running["project"], [dict.fromkeys(columns, value)])
        response = client.post(url, {"spreadsheet": SimpleUploadedFile("p.csv", text.encode())})
        assert response.status_code in (200, 400), value
    assert not ProgressUpdate.objects.filter(value__gt=3).exists()


def test_a_partner_system_reports_into_a_period(running):
    api = APIClient()
    _token, secret = create_token(
        organisation=running["project"].partnerships.get().organisation,
        name="robot",
        scope="write",
        by=running["admin"],
    )
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    periods = api.get(f"/api/v1/indicators/{running['indicator'].pk}/periods/").json()
    assert [p["id"] for p in periods] == [running["first"].pk, running["second"].pk]
    indicator = running["indicator"].pk
    made = api.post(
        "/api/v1/updates/",
        {"indicator": indicator, "period": running["first"].pk, "value": 2},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["as_of"] == running["first"].end.isoformat()
    refused = api.post(
        "/api/v1/updates/",
        {
            "indicator": indicator,
            "period": running["first"].pk,
            "as_of": running["today"].isoformat(),
            "value": 2,
        },
        format="json",
    )
    assert refused.status_code == 400
    assert "Primer semestre" in str(refused.json())
    assert ProgressUpdate.objects.count() == 1


def test_dates_are_named_as_people_read_them(running):
    with pytest.raises(ValidationError) as refused:
        create(running, as_of=date(2000, 1, 1), value=Decimal(1))
    assert "2000-01-01" not in str(refused.value)
