from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from indicators.models import ProgressUpdate, Reminder
from indicators.services.reminders import send_reminders
from partners.models import Membership
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PeriodFactory,
    ProgressUpdateFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 26)  # the first half of 2024 ends in four days
NOW = timezone.make_aware(datetime(2024, 6, 26, 7, 0))  # noqa: DTZ001 (made aware here)


@pytest.fixture
def reporting(settings):
    settings.REMINDER_DAYS_BEFORE_DUE = 7
    settings.REMINDER_REVIEW_AFTER_DAYS = 5
    settings.PORTAL_URL = "https://portal.example.org"
    ngo = OrganisationFactory(name="Mano a Mano Peru", short_name="MAM")
    other = OrganisationFactory(name="Other NGO", short_name="ONG")
    project = ProjectFactory()
    PartnershipFactory(project=project, organisation=ngo)
    first_half = PeriodFactory(project=project, start=date(2024, 1, 1), end=date(2024, 6, 30))
    trained = IndicatorFactory(project=project, code="MAM-1", name="Trained women")
    built = IndicatorFactory(project=project, code="MAM-2", name="Square metres built")

    def person(username, organisation, role=Membership.Role.EDITOR, **fields):
        user = UserFactory(username=username, email=f"{username}@example.org", **fields)
        MembershipFactory(user=user, organisation=organisation, role=role)
        return user

    return {
        "ngo": ngo,
        "project": project,
        "period": first_half,
        "trained": trained,
        "built": built,
        "editor": person("rosa", ngo),
        "manager": person("carmen", ngo, Membership.Role.MANAGER),
        "outsider": person("pedro", other),
        "person": person,
    }


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_an_editor_gets_one_digest_of_the_periods_due_with_links(reporting):
    ProgressUpdateFactory(
        indicator=reporting["built"],
        period=reporting["period"],
        organisation=reporting["ngo"],
        status=ProgressUpdate.Status.SUBMITTED,
    )
    send_reminders(today=TODAY, now=NOW)
    (digest,) = sent_to("rosa@example.org")
    assert digest.subject == "Progress to report for Mano a Mano Peru"
    assert "MAM-1 Trained women" in digest.body
    assert "S1 2024: ends on 30 June 2024" in digest.body
    link = f"https://portal.example.org/indicators/{reporting['trained'].pk}/report/"
    assert link in digest.body
    assert "MAM-2" not in digest.body  # reported already, though not yet approved
    assert "https://portal.example.org/accounts/profile/" in digest.body
    assert not sent_to("pedro@example.org")  # works on no project with a period due


def test_nobody_gets_the_same_reminder_twice(reporting):
    send_reminders(today=TODAY, now=NOW)
    assert len(sent_to("rosa@example.org")) == 1
    mail.outbox.clear()
    assert send_reminders(today=TODAY + timedelta(days=1), now=NOW + timedelta(days=1)) == 0
    assert mail.outbox == []
    assert Reminder.objects.filter(user=reporting["editor"], kind="due").count() == 2


def test_a_period_gone_by_unreported_is_reminded_once_more_as_overdue(reporting):
    send_reminders(today=TODAY, now=NOW)
    mail.outbox.clear()
    later = date(2024, 7, 2)
    send_reminders(today=later, now=NOW + timedelta(days=6))
    (digest,) = sent_to("rosa@example.org")
    assert "S1 2024: ended on 30 June 2024, overdue" in digest.body
    mail.outbox.clear()
    send_reminders(today=later + timedelta(days=1), now=NOW + timedelta(days=7))
    assert mail.outbox == []


def test_periods_further_off_than_the_setting_are_not_reminded(reporting, settings):
    settings.REMINDER_DAYS_BEFORE_DUE = 2
    assert send_reminders(today=TODAY, now=NOW) == 0
    assert mail.outbox == []


def test_people_who_turned_reminders_off_get_none(reporting, client):
    client.force_login(reporting["editor"])
    response = client.post(
        "/accounts/profile/",
        {"first_name": "", "last_name": "", "email": "rosa@example.org", "preferred_language": ""},
    )
    assert response.status_code == 302
    reporting["editor"].refresh_from_db()
    assert not reporting["editor"].receives_reminders
    send_reminders(today=TODAY, now=NOW)
    assert not sent_to("rosa@example.org")
    assert not Reminder.objects.filter(user=reporting["editor"]).exists()


def test_the_digest_speaks_the_readers_language(reporting):
    reporting["editor"].preferred_language = "es"
    reporting["editor"].save()
    send_reminders(today=TODAY, now=NOW)
    (digest,) = sent_to("rosa@example.org")
    assert digest.subject == "Avances por informar de Mano a Mano Peru"


def test_a_manager_hears_of_updates_waiting_longer_than_the_setting(reporting):
    waiting = ProgressUpdateFactory(
        indicator=reporting["trained"],
        organisation=reporting["ngo"],
        value=Decimal(4),
        status=ProgressUpdate.Status.SUBMITTED,
        submitted_by=reporting["editor"],
        submitted_at=NOW - timedelta(days=6),
    )
    ProgressUpdateFactory(
        indicator=reporting["built"],
        organisation=reporting["ngo"],
        status=ProgressUpdate.Status.SUBMITTED,
        submitted_by=reporting["editor"],
        submitted_at=NOW - timedelta(days=2),  # not long enough yet
    )
    send_reminders(today=TODAY, now=NOW)
    reviews = [m for m in sent_to("carmen@example.org") if "review" in m.subject]
    (digest,) = reviews
    assert digest.subject == "1 update waiting for your review"
    assert f"https://portal.example.org/updates/{waiting.pk}/" in digest.body
    assert "MAM-2" not in digest.body
    assert not [m for m in sent_to("rosa@example.org") if "review" in m.subject]
    mail.outbox.clear()
    send_reminders(today=TODAY, now=NOW + timedelta(hours=24))
    assert not [m for m in sent_to("carmen@example.org") if "review" in m.subject]


def test_a_failed_send_records_nothing_and_is_tried_again(reporting, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("mail server unreachable")

    monkeypatch.setattr("indicators.services.reminders.send_mail", refuse)
    with pytest.raises(OSError):
        send_reminders(today=TODAY, now=NOW)
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    send_reminders(today=TODAY, now=NOW)
    assert len(sent_to("rosa@example.org")) == 1


def test_the_beat_schedule_sends_reminders_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-reminders"]
    assert entry["task"] == "indicators.tasks.send_reminders"
    assert entry["schedule"].hour == {settings.REMINDER_HOUR}


def test_each_organisation_on_a_project_is_reminded_of_its_own_reports(reporting):
    partner = OrganisationFactory(name="Ciudad Viva", short_name="CV")
    PartnershipFactory(project=reporting["project"], organisation=partner)
    partner_editor = reporting["person"]("lucia", partner)
    funder = OrganisationFactory(kind="funder")
    reporting["person"]("funder-viewer", funder, Membership.Role.VIEWER)
    for indicator in (reporting["trained"], reporting["built"]):
        ProgressUpdateFactory(
            indicator=indicator, period=reporting["period"], organisation=reporting["ngo"]
        )
    send_reminders(today=TODAY, now=NOW)
    # Mano a Mano has reported both; Ciudad Viva, on the same project, has not.
    assert not sent_to("rosa@example.org")
    (digest,) = sent_to("lucia@example.org")
    assert "Ciudad Viva" in digest.subject
    assert "MAM-1" in digest.body and "MAM-2" in digest.body
    assert not sent_to("funder-viewer@example.org")
    assert partner_editor.reminders.count() == 2


def test_a_returned_update_still_needs_reporting(reporting):
    ProgressUpdateFactory(
        indicator=reporting["trained"],
        period=reporting["period"],
        organisation=reporting["ngo"],
        status=ProgressUpdate.Status.RETURNED,
    )
    send_reminders(today=TODAY, now=NOW)
    (digest,) = sent_to("rosa@example.org")
    assert "MAM-1" in digest.body


def test_a_locked_period_is_not_reminded(reporting):
    reporting["period"].locked_at = NOW
    reporting["period"].save()
    assert send_reminders(today=TODAY, now=NOW) == 0


def test_an_update_reported_for_no_organisation_in_particular_counts_for_all(reporting):
    for indicator in (reporting["trained"], reporting["built"]):
        ProgressUpdateFactory(indicator=indicator, period=reporting["period"], organisation=None)
    assert send_reminders(today=TODAY, now=NOW) == 0
