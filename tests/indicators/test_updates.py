"""Recording progress and the review workflow: every transition, every refusal, who may do what,
locking, stale versions and the audit trail."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators import services
from indicators.history import update_history
from indicators.models import ProgressUpdate, UpdateValue
from tests.factories import IndicatorFactory, PeriodFactory

from .conftest import TODAY, figures, report, report_with_file

pytestmark = pytest.mark.django_db
Status = ProgressUpdate.Status


def parts(team, women, men):
    return {team["women"]: Decimal(women), team["men"]: Decimal(men)}


# Recording


def test_total_is_computed_from_the_parts_of_an_exhaustive_dimension(team):
    update = report(team, parts=parts(team, 50, 30))
    assert update.value == Decimal(80)
    assert update.status == Status.DRAFT
    assert {v.category.slug: v.value for v in update.values.all()} == {"women": 50, "men": 30}


def test_update_is_assigned_to_the_period_of_its_date(team):
    assert report(team, value=Decimal(5)).period == team["first_half"]


def test_submitting_straight_away(team):
    update = report(team, value=Decimal(5), submit=True)
    assert (update.status, update.submitted_by) == (Status.SUBMITTED, team["editor"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": Decimal(-3)}, "cannot be negative"),
        ({"value": Decimal(5), "as_of": date(2025, 7, 1)}, "future"),
        ({"value": Decimal(5), "as_of": date(2023, 12, 31)}, "within the project"),
        ({"value": Decimal(5), "narrative": "bad\x00byte"}, "NUL"),
        ({"value": Decimal(5), "narrative": "x" * 10_001}, "longer than"),
        ({"value": None}, "Give the value"),
    ],
)
def test_bad_updates_are_refused_with_a_clear_message_and_nothing_stored(team, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        report(team, **kwargs)
    assert not ProgressUpdate.objects.exists()


def test_parts_not_adding_up_to_the_total_of_an_exhaustive_dimension_are_refused(team):
    with pytest.raises(ValidationError, match="add up to the total"):
        report(team, value=Decimal(90), parts=parts(team, 50, 30))
    assert not UpdateValue.objects.exists()


def test_parts_above_the_total_are_refused_on_a_non_exhaustive_dimension(team):
    link = team["indicator"].indicator_dimensions.get()
    link.exhaustive = False
    link.save()
    with pytest.raises(ValidationError, match="more than the total"):
        report(team, value=Decimal(10), parts={team["women"]: Decimal(11)})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"numerator": Decimal(135), "denominator": Decimal(134)}, "larger than the denominator"),
        ({"numerator": Decimal(0), "denominator": Decimal(0)}, "cannot be zero"),
        ({"numerator": Decimal(5)}, "both the numerator and the denominator"),
        ({"value": Decimal(50)}, "give a numerator and a denominator"),
    ],
)
def test_bad_percentages_are_refused(team, kwargs, message):
    team["indicator"] = IndicatorFactory(
        project=team["project"], measure="percentage", target_value=Decimal(100)
    )
    with pytest.raises(ValidationError, match=message):
        report(team, **kwargs)
    assert not ProgressUpdate.objects.exists()


def test_milestone_takes_done_or_not_done_only(team):
    team["indicator"] = IndicatorFactory(
        project=team["project"], measure="milestone", target_value=Decimal(1)
    )
    with pytest.raises(ValidationError, match="whether the milestone is done"):
        report(team, value=Decimal(2))
    assert report(team, value=Decimal(1)).value == Decimal(1)


# Who may do what


@pytest.mark.parametrize("who", ["viewer", "funder", "outsider"])
def test_people_without_an_editing_role_cannot_report(team, who):
    with pytest.raises(PermissionDenied):
        report(team, user=team[who], value=Decimal(5))
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("who", ["editor", "manager", "admin"])
def test_editors_managers_and_admins_can_report(team, who):
    assert report(team, user=team[who], value=Decimal(5)).created_by == team[who]


@pytest.mark.parametrize("who", ["editor", "viewer", "funder", "outsider"])
def test_only_managers_approve(team, who):
    update = report(team, value=Decimal(5), submit=True)
    with pytest.raises(PermissionDenied):
        services.approve_update(update=update, by=team[who])
    update.refresh_from_db()
    assert update.status == Status.SUBMITTED


def test_nobody_approves_their_own_update(team):
    update = report(team, user=team["manager"], value=Decimal(5), submit=True)
    with pytest.raises(
        PermissionDenied, match="figures you entered, changed or submitted yourself"
    ):
        services.approve_update(update=update, by=team["manager"])
    update.refresh_from_db()
    assert update.status == Status.SUBMITTED


def test_single_manager_organisation_may_approve_its_own_update(team):
    team["ngo"].single_manager = True
    team["ngo"].save()
    update = report(team, user=team["manager"], value=Decimal(5), submit=True)
    approved = services.approve_update(update=update, by=team["manager"])
    assert approved.status == Status.APPROVED


# Transitions


def submitted(team, **kwargs):
    return report(team, submit=True, **({"value": Decimal(5)} | kwargs))


def test_approval_records_the_reviewer_and_moves_the_version_on(team):
    update = submitted(team)
    approved = services.approve_update(update=update, by=team["manager"])
    assert (approved.status, approved.reviewed_by) == (Status.APPROVED, team["manager"])
    assert approved.version == update.version + 1


def test_return_needs_a_note_the_editor_then_sees(team):
    update = submitted(team)
    with pytest.raises(ValidationError, match="Say what needs correcting"):
        services.return_update(update=update, by=team["manager"], note="  ")
    returned = services.return_update(
        update=update, by=team["manager"], note="Count the men of Santa Rosa too."
    )
    assert (returned.status, returned.review_note) == (
        Status.RETURNED,
        "Count the men of Santa Rosa too.",
    )


def test_returned_update_is_corrected_and_resubmitted(team):
    update = services.return_update(update=submitted(team), by=team["manager"], note="Fix")
    corrected = services.edit_update(
        update=update,
        by=team["editor"],
        expected_version=update.version,
        figures=figures(value=Decimal(7)),
        submit=True,
        today=TODAY,
    )
    assert (corrected.status, corrected.value) == (Status.SUBMITTED, Decimal(7))


def test_approved_update_cannot_be_edited_only_reopened(team):
    approved = services.approve_update(update=submitted(team), by=team["manager"])
    with pytest.raises(ValidationError, match="reopen an approved one first"):
        services.edit_update(
            update=approved,
            by=team["editor"],
            expected_version=approved.version,
            figures=figures(value=Decimal(9)),
            today=TODAY,
        )
    with pytest.raises(PermissionDenied):
        services.reopen_update(update=approved, by=team["editor"], reason="typo")
    reopened = services.reopen_update(update=approved, by=team["manager"], reason="Typo in total")
    assert reopened.status == Status.DRAFT
    assert reopened.reviewed_by is None
    assert "Typo in total" in reopened.review_note


def test_reopening_needs_a_reason(team):
    approved = services.approve_update(update=submitted(team), by=team["manager"])
    with pytest.raises(ValidationError, match="why"):
        services.reopen_update(update=approved, by=team["manager"], reason="")


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.DRAFT, "approve"),
        (Status.DRAFT, "return"),
        (Status.DRAFT, "reopen"),
        (Status.SUBMITTED, "submit"),
        (Status.SUBMITTED, "reopen"),
        (Status.APPROVED, "submit"),
        (Status.APPROVED, "approve"),
        (Status.APPROVED, "delete"),
    ],
)
def test_transitions_from_the_wrong_status_are_refused(team, status, action):
    update = report(team, value=Decimal(5), submit=status != Status.DRAFT)
    if status == Status.APPROVED:
        update = services.approve_update(update=update, by=team["manager"])
    calls = {
        "submit": lambda: services.submit_update(update=update, by=team["editor"]),
        "approve": lambda: services.approve_update(update=update, by=team["manager"]),
        "return": lambda: services.return_update(update=update, by=team["manager"], note="x"),
        "reopen": lambda: services.reopen_update(update=update, by=team["manager"], reason="x"),
        "delete": lambda: services.delete_update(update=update, by=team["editor"]),
    }
    with pytest.raises(ValidationError):
        calls[action]()
    update.refresh_from_db()
    assert update.status == status


def test_draft_can_be_deleted(team):
    update = report(team, value=Decimal(5))
    services.delete_update(update=update, by=team["editor"], expected_version=update.version)
    assert not ProgressUpdate.objects.exists()


# Locked periods


def test_locked_period_refuses_new_changed_and_reviewed_updates(team):
    draft = report(team, value=Decimal(5))
    pending = report(team, value=Decimal(6), submit=True)
    services.lock_period(period=team["first_half"], by=team["manager"])
    with pytest.raises(ValidationError, match="locked"):
        report(team, value=Decimal(7))
    with pytest.raises(ValidationError, match="locked"):
        services.edit_update(
            update=draft,
            by=team["editor"],
            expected_version=draft.version,
            figures=figures(value=Decimal(8)),
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="locked"):
        services.approve_update(update=pending, by=team["manager"])
    assert ProgressUpdate.objects.count() == 2


def test_moving_an_update_into_a_locked_period_is_refused(team):
    PeriodFactory(
        project=team["project"],
        name="S2 2024",
        start=date(2024, 7, 1),
        end=date(2024, 12, 31),
        locked_at=timezone.now(),
    )
    draft = report(team, value=Decimal(5))
    with pytest.raises(ValidationError, match="S2 2024 is locked"):
        services.edit_update(
            update=draft,
            by=team["editor"],
            expected_version=draft.version,
            figures=figures(value=Decimal(5), as_of=date(2024, 9, 1)),
            today=TODAY,
        )


def test_only_managers_lock_and_only_admins_unlock(team):
    with pytest.raises(PermissionDenied):
        services.lock_period(period=team["first_half"], by=team["editor"])
    locked = services.lock_period(period=team["first_half"], by=team["manager"])
    assert locked.locked_by == team["manager"]
    with pytest.raises(PermissionDenied):
        services.unlock_period(period=locked, by=team["manager"])
    assert not services.unlock_period(period=locked, by=team["admin"]).is_locked


# Optimistic concurrency


def test_stale_edit_is_refused_and_nothing_is_overwritten(team):
    draft = report(team, value=Decimal(5))
    opened_at = draft.version
    services.edit_update(
        update=draft,
        by=team["manager"],
        expected_version=opened_at,
        figures=figures(value=Decimal(6)),
        today=TODAY,
    )
    with pytest.raises(services.StaleUpdate) as stale:
        services.edit_update(
            update=draft,
            by=team["editor"],
            expected_version=opened_at,
            figures=figures(value=Decimal(99)),
            today=TODAY,
        )
    assert stale.value.current.value == Decimal(6)
    draft.refresh_from_db()
    assert draft.value == Decimal(6)


def test_stale_approval_is_refused(team):
    update = submitted(team)
    seen = update.version
    services.return_update(update=update, by=team["manager"], note="Check")
    services.submit_update(update=update, by=team["editor"])
    with pytest.raises(services.StaleUpdate):
        services.approve_update(update=update, by=team["manager"], expected_version=seen)


# Audit history


def test_every_change_is_in_the_history_with_who_and_old_and_new_values(team):
    update = report(team, parts=parts(team, 50, 30))
    services.edit_update(
        update=update,
        by=team["manager"],
        expected_version=update.version,
        figures=figures(parts=parts(team, 55, 30)),
        submit=True,
        today=TODAY,
    )
    entries = update_history(update)
    edits = [e for e in entries if e.action == "changed" and not e.subject]
    (edit,) = edits
    assert edit.who == str(team["manager"])
    assert {(c.field, c.old, c.new) for c in edit.changes} >= {
        ("value", "80", "85"),
        ("status", "Draft", "Submitted"),
    }
    (women_changed,) = [e for e in entries if e.subject == "Women" and e.action == "changed"]
    assert [(c.old, c.new) for c in women_changed.changes] == [("50", "55")]
    created = [e for e in entries if e.action == "created" and not e.subject]
    assert created[0].who == str(team["editor"])


def test_reopening_is_recorded_with_its_reviewer(team):
    approved = services.approve_update(update=submitted(team), by=team["manager"])
    services.reopen_update(update=approved, by=team["admin"], reason="Wrong date")
    latest = update_history(approved)[0]
    assert latest.who == str(team["admin"])
    assert ("status", "Approved", "Draft") in {(c.field, c.old, c.new) for c in latest.changes}


# Evidence


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_evidence_file_of_an_accepted_type_is_stored(team):
    update = services.create_update(
        indicator=team["indicator"],
        by=team["editor"],
        figures=figures(value=Decimal(5)),
        evidence_file=upload("attendance.pdf", b"%PDF-1.7 attendance list"),
        today=TODAY,
    )
    assert update.evidence_file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ\x90\x00", "not accepted"),
        ("photo.png", b"%PDF-1.7 pretending", "does not match"),
        ("list.csv", b"a,b\x00c", "NUL"),
        ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_refused_evidence_files_store_nothing(team, name, content, message):
    with pytest.raises(ValidationError, match=message):
        services.create_update(
            indicator=team["indicator"],
            by=team["editor"],
            figures=figures(value=Decimal(5)),
            evidence_file=upload(name, content),
            today=TODAY,
        )
    assert not ProgressUpdate.objects.exists()


def stored(update: ProgressUpdate) -> Path:
    return Path(default_storage.path(update.evidence_file.name))


def test_evidence_files_are_deleted_with_their_update_or_when_replaced_or_removed(
    team, django_capture_on_commit_callbacks
):
    deleted, replaced, removed = (
        report_with_file(team, name) for name in ("a.pdf", "b.pdf", "c.pdf")
    )
    paths = [stored(deleted), stored(replaced), stored(removed)]
    assert all(path.exists() for path in paths)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_update(update=deleted, by=team["editor"])
        services.edit_update(
            update=replaced,
            by=team["editor"],
            expected_version=replaced.version,
            figures=figures(value=Decimal(5)),
            evidence_file=upload("d.pdf", b"%PDF-1.7 new list"),
            today=TODAY,
        )
        services.edit_update(
            update=removed,
            by=team["editor"],
            expected_version=removed.version,
            figures=figures(value=Decimal(5)),
            remove_evidence_file=True,
            today=TODAY,
        )
    assert [path.exists() for path in paths] == [False, False, False]
    replaced.refresh_from_db()
    assert stored(replaced).exists()


def test_a_file_is_kept_when_a_refused_change_rolls_back(team, django_capture_on_commit_callbacks):
    update = report_with_file(team, "a.pdf")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.delete_update(update=update, by=team["viewer"])
    assert stored(update).exists()


def test_the_same_form_sent_twice_records_one_update(client, team):
    client.force_login(team["editor"])
    url = f"/indicators/{team['indicator'].pk}/report/"
    form = client.get(url).context["form"]
    key = form["request_key"].value()
    body = {"as_of": "2025-03-01", "value": "5", "request_key": str(key), "action": "submit"}
    first = client.post(url, body)
    second = client.post(url, body)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ProgressUpdate.objects.count() == 1
    assert client.get(url).context["form"]["request_key"].value() != key  # a new form, a new key


@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="SQLite writes one at a time anyway"
)
def test_recording_and_approving_lock_the_period_row(team):
    with CaptureQueriesContext(connection) as recording:
        update = report(team, value=Decimal(5), submit=True)
    with CaptureQueriesContext(connection) as approving:
        services.approve_update(update=update, by=team["manager"])
    for captured in (recording, approving):
        assert any(
            'FROM "indicators_period"' in query["sql"] and "FOR UPDATE" in query["sql"]
            for query in captured.captured_queries
        )


def test_unreferenced_evidence_files_are_swept_and_referenced_ones_kept(team):
    from io import StringIO

    from django.core.files.base import ContentFile
    from django.core.management import call_command

    update = report_with_file(team, "kept.pdf")
    orphan = default_storage.save("evidence/2025/03/orphan.pdf", ContentFile(b"%PDF-1.7 lost"))
    out = StringIO()
    call_command("delete_unreferenced_evidence", "--dry-run", stdout=out)
    assert orphan in out.getvalue() and default_storage.exists(orphan)
    call_command("delete_unreferenced_evidence", stdout=StringIO())
    assert not default_storage.exists(orphan)
    assert stored(update).exists()
