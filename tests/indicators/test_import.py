"""Progress in bulk: a template per project, every problem by row and column, all or nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from api.services import create_token
from indicators.models import ProgressUpdate
from indicators.spreadsheets.progress import header

pytestmark = pytest.mark.django_db


def filled(team, rows):
    columns = header(team["project"])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue()


def women_men(team, women, men):
    dimension = team["women"].dimension.name
    return {f"{dimension}: Women": women, f"{dimension}: Men": men}


def row(team, **cells):
    return {"Indicator code": team["indicator"].code, "Period": "S1 2025", **cells}


def upload(client, team, text, **extra):
    url = reverse("indicators:import", args=[team["project"].pk])
    return client.post(
        url, {"spreadsheet": SimpleUploadedFile("progress.csv", text.encode()), **extra}
    )


def test_the_templates_list_the_projects_indicators_categories_and_periods(client, team):
    client.force_login(team["editor"])
    base = f"/projects/{team['project'].pk}/import/template"
    sheet = load_workbook(io.BytesIO(client.get(f"{base}.xlsx").content))["Progress"]
    columns = [cell.value for cell in sheet[1]]
    assert columns[:3] == ["Indicator code", "Indicator", "Period"]
    assert set(women_men(team, 0, 0)) <= set(columns)
    assert [sheet.cell(2, 1).value, sheet.cell(2, 3).value] == [team["indicator"].code, "S1 2025"]
    text = client.get(f"{base}.csv").content.decode()
    assert team["indicator"].code in text


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_stored(client, team):
    client.force_login(team["editor"])
    text = filled(
        team,
        [
            row(team, **women_men(team, 6, 4)),
            row(team, **{"Indicator code": "NOPE"}),
            row(team, **women_men(team, -1, 4)),
            row(team, Period="", **{"As of": "2030-01-01"}, **women_men(team, 1, 1)),
            row(team, **women_men(team, "many", 1)),
            row(team, Value="20", **women_men(team, 6, 4)),
        ],
    )
    response = upload(client, team, text)
    assert response.status_code == 400
    problems = [(p.row, p.column, p.message) for p in response.context["outcome"].problems]
    assert (3, "Indicator code", "No indicator of this project has this code.") in problems
    assert any(r == 4 and "negative" in m for r, _c, m in problems)
    assert any(r == 5 and c == "As of" and "future" in m for r, c, m in problems)
    assert any(r == 6 and "not a number" in m for r, _c, m in problems)
    assert any(r == 7 and "add up to the total" in m for r, _c, m in problems)
    assert not ProgressUpdate.objects.exists()


def test_a_clean_file_is_checked_then_recorded_all_at_once_with_history(client, team):
    client.force_login(team["editor"])
    text = filled(team, [row(team, **women_men(team, 6, 4)), row(team, **women_men(team, 3, 2))])
    checked = upload(client, team, text, submit="on")
    assert checked.status_code == 200
    assert "2 rows pass every check" in checked.text
    assert not ProgressUpdate.objects.exists()
    token = checked.context["token"]
    done = client.post(reverse("indicators:import", args=[team["project"].pk]), {"token": token})
    assert done.status_code == 302
    updates = ProgressUpdate.objects.order_by("value")
    assert [(u.value, u.status, u.period.name) for u in updates] == [
        (5, "submitted", "S1 2025"),
        (10, "submitted", "S1 2025"),
    ]
    assert updates[1].values.count() == 2
    assert updates[1].history.get().history_user == team["editor"]
    again = client.post(reverse("indicators:import", args=[team["project"].pk]), {"token": token})
    assert again.status_code == 302 and ProgressUpdate.objects.count() == 2  # a token works once


def test_a_locked_period_refuses_the_whole_file(client, team):
    from indicators import services

    services.lock_period(period=team["first_half"], by=team["manager"])
    client.force_login(team["editor"])
    response = upload(client, team, filled(team, [row(team, **women_men(team, 6, 4))]))
    assert "is locked" in response.text
    assert not ProgressUpdate.objects.exists()


def test_problems_are_told_in_the_users_language(client, team):
    client.force_login(team["editor"])
    client.cookies["django_language"] = "es"
    response = upload(client, team, filled(team, [row(team, **women_men(team, -1, 4))]))
    assert "Los valores no pueden ser negativos." in response.text


def test_viewers_get_403_and_outsiders_404(client, team):
    url = reverse("indicators:import", args=[team["project"].pk])
    for who, status in (("viewer", 403), ("funder", 403), ("outsider", 404)):
        client.force_login(team[who])
        assert client.get(url).status_code == status, who
        assert (
            upload(client, team, filled(team, [row(team, **women_men(team, 1, 1))])).status_code
            == status
        )
    assert not ProgressUpdate.objects.exists()


def test_the_api_checks_and_imports_a_csv(team):
    key = create_token(
        organisation=team["ngo"],
        name="M&E",
        scope="write",
        can_approve=False,
        by=team["admin"],
    )[1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    text = filled(team, [row(team, **women_men(team, 6, 4))])
    body = {"project": team["project"].pk, "csv": text, "dry_run": True}
    assert api.post("/api/v1/updates/import/", body, format="json").json() == {
        "checked": 1,
        "created": 0,
    }
    assert not ProgressUpdate.objects.exists()
    created = api.post("/api/v1/updates/import/", {**body, "dry_run": False}, format="json")
    assert (created.status_code, created.json()["created"]) == (201, 1)
    bad = filled(team, [row(team, **women_men(team, -1, 4))])
    refused = api.post(
        "/api/v1/updates/import/", {**body, "csv": bad, "dry_run": False}, format="json"
    )
    assert refused.status_code == 422 and refused.json()["problems"][0]["row"] == 2
    assert ProgressUpdate.objects.count() == 1
    reader = create_token(
        organisation=team["ngo"],
        name="read",
        scope="read",
        can_approve=False,
        by=team["admin"],
    )[1]
    api.credentials(HTTP_AUTHORIZATION=f"Token {reader}")
    assert api.post("/api/v1/updates/import/", body, format="json").status_code == 403


def test_the_benchmark_command_prints_its_figures(capsys):
    call_command("benchmark_import", rows=200)
    out = capsys.readouterr().out
    assert "Rows: 200" in out and "commit / raw SQL" in out
    assert not ProgressUpdate.objects.exists()  # it leaves the database as it found it
