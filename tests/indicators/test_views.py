"""The progress pages: who reaches what, the form, review, conflicts, cost and weight."""

import gzip
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services
from indicators.models import ProgressUpdate
from tests.factories import IndicatorFactory

from .conftest import TODAY, figures, report

pytestmark = pytest.mark.django_db
ROLES = ["editor", "manager", "admin", "viewer", "funder", "outsider"]


@pytest.fixture
def pages(team):
    """A submitted update with evidence and an approved one, on the team's indicator."""
    pending = services.create_update(
        indicator=team["indicator"],
        by=team["editor"],
        figures=figures(value=Decimal(5)),
        evidence_file=SimpleUploadedFile("list.pdf", b"%PDF-1.7 list"),
        submit=True,
        today=TODAY,
    )
    approved = services.create_update(
        indicator=team["indicator"],
        by=team["editor"],
        figures=figures(value=Decimal(7)),
        evidence_file=SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n...."),
        submit=True,
        today=TODAY,
    )
    approved = services.approve_update(update=approved, by=team["manager"])
    return {"pending": pending, "approved": approved}


def status_of(client, team, who, url, method="get", data=None):
    client.force_login(team[who])
    return getattr(client, method)(url, data or {}).status_code


MATRIX = {
    # page: expected status for editor, manager, admin, viewer, funder, outsider
    "mine": [200, 200, 200, 200, 200, 200],
    "review": [200, 200, 200, 200, 200, 200],
    "indicator": [200, 200, 200, 200, 200, 404],
    "report": [200, 200, 200, 403, 403, 404],
    "pending": [200, 200, 200, 200, 404, 404],
    "approved": [200, 200, 200, 200, 200, 404],
    "pending_evidence": [200, 200, 200, 200, 404, 404],
    "approved_evidence": [200, 200, 200, 200, 200, 404],
    "periods": [200, 200, 200, 200, 200, 404],
}


def url_for(page, team, pages):
    indicator = team["indicator"]
    return {
        "mine": reverse("indicators:mine"),
        "review": reverse("indicators:review"),
        "indicator": reverse("indicators:indicator", args=[indicator.pk]),
        "report": reverse("indicators:report", args=[indicator.pk]),
        "pending": reverse("indicators:update", args=[pages["pending"].pk]),
        "approved": reverse("indicators:update", args=[pages["approved"].pk]),
        "pending_evidence": reverse("indicators:evidence", args=[pages["pending"].pk]),
        "approved_evidence": reverse("indicators:evidence", args=[pages["approved"].pk]),
        "periods": reverse("indicators:periods", args=[team["project"].pk]),
    }[page]


@pytest.mark.parametrize("page", list(MATRIX))
def test_access_matrix_of_the_progress_pages(client, team, pages, page):
    url = url_for(page, team, pages)
    seen = [status_of(client, team, who, url) for who in ROLES]
    assert dict(zip(ROLES, seen, strict=True)) == dict(zip(ROLES, MATRIX[page], strict=True))


@pytest.mark.parametrize(
    ("who", "expected", "status_after"),
    [
        ("manager", 302, "approved"),
        ("admin", 302, "approved"),
        ("editor", 403, "submitted"),
        ("viewer", 403, "submitted"),
        ("funder", 404, "submitted"),  # funders never see an unapproved update
        ("outsider", 404, "submitted"),
    ],
)
def test_only_managers_approve_through_the_page(client, team, pages, who, expected, status_after):
    update = pages["pending"]
    url = reverse("indicators:transition", args=[update.pk, "approve"])
    assert status_of(client, team, who, url, "post", {"version": update.version}) == expected
    update.refresh_from_db()
    assert update.status == status_after


@pytest.mark.parametrize(("who", "expected"), [("viewer", 403), ("funder", 403), ("outsider", 404)])
def test_people_who_may_not_write_cannot_post_a_report(client, team, who, expected):
    client.force_login(team[who])
    url = reverse("indicators:report", args=[team["indicator"].pk])
    response = client.post(url, {"as_of": "2025-03-01", "value": "5", "action": "submit"})
    assert response.status_code == expected
    assert not ProgressUpdate.objects.exists()


def test_editor_reports_by_category_and_the_total_is_computed(client, team):
    client.force_login(team["editor"])
    url = reverse("indicators:report", args=[team["indicator"].pk])
    form_page = client.get(url).text
    assert "Women" in form_page and "Men" in form_page
    response = client.post(
        url,
        {
            "as_of": "2025-03-01",
            f"part_{team['women'].pk}": "50",
            f"part_{team['men'].pk}": "30",
            "narrative": "Training at the La Victoria collection centre.",
            "action": "submit",
        },
    )
    update = ProgressUpdate.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("indicators:update", args=[update.pk])
    assert (update.value, update.status) == (Decimal(80), ProgressUpdate.Status.SUBMITTED)


def test_form_shows_clear_errors_and_stores_nothing(client, team):
    client.force_login(team["editor"])
    url = reverse("indicators:report", args=[team["indicator"].pk])
    cases = [
        ({"value": "-4"}, "greater than or equal to 0"),
        (
            {"value": "90", f"part_{team['women'].pk}": "50", f"part_{team['men'].pk}": "30"},
            "add up to the total",
        ),
        ({"value": "5", "narrative": "null\x00byte"}, "Null characters are not allowed"),
        ({"value": "5", "as_of": "2030-01-01"}, "is in the future"),
        ({"value": "5", "as_of": "2019-01-01"}, "must fall within the project"),
        ({"value": "1e30"}, "less than or equal to"),
        ({"value": "5", "as_of": ""}, "Give the as-of date or choose a reporting period"),
    ]
    for data, message in cases:
        response = client.post(url, {"as_of": "2025-03-01", "action": "submit", **data})
        assert response.status_code == 200, data
        assert message in response.text, data
    assert not ProgressUpdate.objects.exists()


def test_a_period_may_stand_for_the_as_of_date(client, team):
    client.force_login(team["editor"])
    url = reverse("indicators:report", args=[team["indicator"].pk])
    client.post(
        url, {"as_of": "", "period": team["first_half"].pk, "value": "5", "action": "draft"}
    )
    assert ProgressUpdate.objects.get().as_of == date(2025, 6, 30)


def test_stale_form_is_refused_and_shows_what_changed(client, team):
    draft = report(team, value=Decimal(5))
    client.force_login(team["editor"])
    url = reverse("indicators:edit", args=[draft.pk])
    opened = client.get(url)
    assert f'name="version" value="{draft.version}"' in opened.text
    services.edit_update(
        update=draft,
        by=team["manager"],
        expected_version=draft.version,
        figures=figures(value=Decimal(6)),
        today=TODAY,
    )
    response = client.post(
        url, {"as_of": "2025-03-01", "value": "9", "version": draft.version, "action": "draft"}
    )
    assert response.status_code == 200
    assert "someone changed this update while you were editing it" in response.text
    assert "Saved now" in response.text
    draft.refresh_from_db()
    assert draft.value == Decimal(6)
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert f'name="version" value="{draft.version}"' in response.text


def test_stale_approval_button_is_refused_with_a_message(client, team, pages):
    update = pages["pending"]
    seen = update.version
    services.return_update(update=update, by=team["admin"], note="Check the count")
    client.force_login(team["manager"])
    url = reverse("indicators:transition", args=[update.pk, "approve"])
    response = client.post(url, {"version": seen}, follow=True)
    assert "changed since you opened the page" in response.text
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.RETURNED


def test_returned_note_reaches_the_editor(client, team, pages):
    client.force_login(team["manager"])
    update = pages["pending"]
    client.post(
        reverse("indicators:transition", args=[update.pk, "return"]),
        {"version": update.version, "note": "Add the men of El Agustino"},
    )
    client.force_login(team["editor"])
    assert "Add the men of El Agustino" in client.get(reverse("indicators:mine")).text
    edit_page = client.get(reverse("indicators:edit", args=[update.pk])).text
    assert "Add the men of El Agustino" in edit_page


def test_history_is_shown_on_the_update_and_indicator_pages(client, team, pages):
    client.force_login(team["manager"])
    update_page = client.get(reverse("indicators:update", args=[pages["approved"].pk])).text
    assert "History" in update_page
    assert "Submitted" in update_page and "Approved" in update_page
    indicator_page = client.get(reverse("indicators:indicator", args=[team["indicator"].pk])).text
    assert "History" in indicator_page


def test_funder_sees_no_history_nor_unapproved_updates(client, team, pages):
    client.force_login(team["funder"])
    text = client.get(reverse("indicators:indicator", args=[team["indicator"].pk])).text
    assert reverse("indicators:update", args=[pages["approved"].pk]) in text
    assert reverse("indicators:update", args=[pages["pending"].pk]) not in text
    assert "Report progress" not in text


def test_review_queue_lists_submitted_updates_for_managers_only(client, team, pages):
    client.force_login(team["manager"])
    assert (
        reverse("indicators:update", args=[pages["pending"].pk])
        in client.get(reverse("indicators:review")).text
    )
    client.force_login(team["editor"])
    assert "Nothing is waiting for your review" in client.get(reverse("indicators:review")).text


def test_lock_and_unlock_through_the_periods_page(client, team):
    period = team["first_half"]
    client.force_login(team["editor"])
    assert (
        client.post(reverse("indicators:period-action", args=[period.pk, "lock"])).status_code
        == 403
    )
    client.force_login(team["manager"])
    client.post(reverse("indicators:period-action", args=[period.pk, "lock"]))
    period.refresh_from_db()
    assert period.is_locked
    client.force_login(team["admin"])
    client.post(reverse("indicators:period-action", args=[period.pk, "unlock"]))
    period.refresh_from_db()
    assert not period.is_locked


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_indicators_and_review_cost_the_same_queries_for_2_or_12_indicators(client, team):
    client.force_login(team["manager"])
    report(team, value=Decimal(1), submit=True)
    few = (
        queries(client, reverse("indicators:mine")),
        queries(client, reverse("indicators:review")),
    )
    for _ in range(10):
        team["indicator"] = IndicatorFactory(project=team["project"])
        report(team, value=Decimal(2), submit=True)
    many = (
        queries(client, reverse("indicators:mine")),
        queries(client, reverse("indicators:review")),
    )
    assert few == many


def test_entry_form_weighs_under_60_kb_compressed_on_first_load(client, team):
    client.force_login(team["editor"])
    html = client.get(reverse("indicators:report", args=[team["indicator"].pk])).content
    static = Path(settings.BASE_DIR) / "static"
    assets = [
        (static / "css" / "portal.css").read_bytes(),
        (static / "js" / "update-form.js").read_bytes(),
    ]
    total = sum(len(gzip.compress(body)) for body in [html, *assets])
    assert total < 60 * 1024
    assert b"portal.css" in html and b"update-form.js" in html


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_as_of_date_is_prefilled_in_iso_form_whatever_the_language(client, team, language):
    update = report(team, value=Decimal(5))
    client.force_login(team["editor"])
    url = reverse("indicators:edit", args=[update.pk])
    text = client.get(url, headers={"accept-language": language}).text
    assert 'type="date"' in text
    assert 'name="as_of" value="2025-03-01"' in text  # an ISO date, not 01/03/2025


def test_a_typed_day_month_year_date_is_understood(client, team):
    client.force_login(team["editor"])
    url = reverse("indicators:report", args=[team["indicator"].pk])
    client.post(url, {"as_of": "01/03/2025", "value": "5", "action": "draft"})
    assert ProgressUpdate.objects.get().as_of == date(2025, 3, 1)
