"""Reporting reminders: one digest e-mail per person and organisation, each item sent once.

Editors hear, per organisation they report for, of periods ending within
`REMINDER_DAYS_BEFORE_DUE` days, and of ended periods, still open, that their organisation has
not reported on. Managers hear of updates they may review that have waited longer than
`REMINDER_REVIEW_AFTER_DAYS` days. What was sent is recorded in the same transaction as the
sending, so a digest that fails is tried again in full and one that went out never repeats.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.models import Indicator, Period, ProgressUpdate, Reminder
from indicators.selectors import REPORTING_STATUSES, periods_due, review_queue
from partners.models import Membership, Organisation, User
from projects.models import Partnership
from projects.selectors import WORKING_ROLES, roles_at_least


@dataclass
class Digest:
    user: User
    organisation: Organisation | None  # None for a manager's review digest
    items: list[Reminder] = field(default_factory=list)


def _link(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


def _reporters(today: date) -> tuple[dict[int, list[User]], dict[int, Organisation]]:
    """Organisation id → who is reminded to report for it: its editors, whose work reporting
    is; its managers where it has no editor; its administrators where it has neither."""
    by_role: dict[int, dict[str, list[User]]] = defaultdict(lambda: defaultdict(list))
    organisations: dict[int, Organisation] = {}
    for membership in Membership.objects.filter(
        role__in=roles_at_least(Membership.Role.EDITOR),
        user__is_active=True,
        user__is_api_client=False,
        user__receives_reminders=True,
    ).select_related("user", "organisation"):
        if membership.user.email:
            by_role[membership.organisation_id][membership.role].append(membership.user)
            organisations[membership.organisation_id] = membership.organisation
    reporters = {}
    for organisation_id, roles in by_role.items():
        for role in (Membership.Role.EDITOR, Membership.Role.MANAGER, Membership.Role.ADMIN):
            if roles.get(role):
                reporters[organisation_id] = roles[role]
                break
    return reporters, organisations


def _due_digests(today: date) -> list[Digest]:
    """Per editor and organisation, the periods it still has to report (as "My indicators"
    shows them) that are overdue or end within the horizon; nothing of projects that take no
    reports."""
    horizon = today + timedelta(days=settings.REMINDER_DAYS_BEFORE_DUE)
    reporters, organisations = _reporters(today)
    if not reporters:
        return []
    working: dict[int, list[int]] = defaultdict(list)  # project → organisations reporting on it
    for project_id, organisation_id in Partnership.objects.filter(
        organisation_id__in=list(reporters),
        role__in=WORKING_ROLES,
        project__archived_at__isnull=True,
        project__status__in=REPORTING_STATUSES,
    ).values_list("project_id", "organisation_id"):
        working[project_id].append(organisation_id)
    periods: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(project_id__in=list(working), start__lte=today).order_by(
        "start"
    ):
        periods[period.project_id].append(period)
    if not periods:
        return []
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(project_id__in=list(periods)).order_by(
        "project_id", "code"
    ):
        indicators[indicator.project_id].append(indicator)
    # An update reported for no organisation in particular counts for every one.
    reported: dict[tuple[int, int | None], set[int]] = defaultdict(set)
    for indicator_id, period_id, organisation_id in (
        ProgressUpdate.objects.filter(indicator__project_id__in=list(periods), period__isnull=False)
        .exclude(status=ProgressUpdate.Status.RETURNED)
        .values_list("indicator_id", "period_id", "organisation_id")
    ):
        reported[(indicator_id, organisation_id)].add(period_id)
    sent = set(
        Reminder.objects.filter(
            kind__in=[Reminder.Kind.DUE, Reminder.Kind.OVERDUE],
            period__project_id__in=list(periods),
        ).values_list("user_id", "kind", "organisation_id", "indicator_id", "period_id")
    )
    digests: dict[tuple[int, int], Digest] = {}
    for project_id, project_periods in periods.items():
        for organisation_id in working[project_id]:
            for indicator in indicators[project_id]:
                done = reported[(indicator.pk, organisation_id)] | reported[(indicator.pk, None)]
                for due in periods_due(project_periods, done, today=today, horizon=horizon):
                    kind = Reminder.Kind.OVERDUE if due.overdue else Reminder.Kind.DUE
                    for user in reporters[organisation_id]:
                        key = (user.pk, kind, organisation_id, indicator.pk, due.period.pk)
                        if key in sent:
                            continue
                        digest = digests.setdefault(
                            (user.pk, organisation_id),
                            Digest(user=user, organisation=organisations[organisation_id]),
                        )
                        digest.items.append(
                            Reminder(
                                user=user,
                                kind=kind,
                                organisation_id=organisation_id,
                                indicator=indicator,
                                period=due.period,
                            )
                        )
    for digest in digests.values():
        # Every due reminder names its period; the oldest comes first.
        digest.items.sort(
            key=lambda item: (item.period.end if item.period else date.min, item.indicator.code)
        )
    return list(digests.values())


def _review_digests(now: datetime) -> list[Digest]:
    """Per manager, the updates they may review that have waited too long."""
    waited = now - timedelta(days=settings.REMINDER_REVIEW_AFTER_DAYS)
    managers = User.objects.filter(
        is_active=True,
        is_api_client=False,
        receives_reminders=True,
        memberships__role__in=roles_at_least(Membership.Role.MANAGER),
    ).exclude(email="")
    sent = set(
        Reminder.objects.filter(kind=Reminder.Kind.REVIEW).values_list("user_id", "update_id")
    )
    digests = []
    for manager in managers.distinct().order_by("pk"):
        items = [
            Reminder(
                user=manager, kind=Reminder.Kind.REVIEW, indicator=update.indicator, update=update
            )
            for update in review_queue(manager).filter(submitted_at__lte=waited)
            if (manager.pk, update.pk) not in sent and update.submitted_by_id != manager.pk
        ]
        if items:
            digests.append(Digest(user=manager, organisation=None, items=items))
    return digests


def _send(digest: Digest, now: datetime) -> None:
    user = digest.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        if digest.organisation is None:
            subject = ngettext(
                "%(count)d update waiting for your review",
                "%(count)d updates waiting for your review",
                len(digest.items),
            ) % {"count": len(digest.items)}
            lines = [
                {
                    "item": item,
                    "link": _link(reverse("indicators:update", args=[item.update_id])),
                }
                for item in digest.items
            ]
            template = "indicators/reminder_review_email.txt"
        else:
            subject = _("Progress to report for %(organisation)s") % {
                "organisation": digest.organisation.name
            }
            lines = [
                {
                    "item": item,
                    "link": _link(reverse("indicators:report", args=[item.indicator_id])),
                }
                for item in digest.items
            ]
            template = "indicators/reminder_due_email.txt"
        body = render_to_string(
            template,
            {
                "user": user,
                "organisation": digest.organisation,
                "lines": lines,
                "profile": _link(reverse("profile")),
                "review": _link(reverse("indicators:review")),
                "days": settings.REMINDER_REVIEW_AFTER_DAYS,
            },
        )
    for item in digest.items:
        item.sent_at = now
    with transaction.atomic():
        # Recorded first: a second run at the same time fails on the unique constraints and
        # sends nothing; a failed send undoes the record, and the next run tries again.
        Reminder.objects.bulk_create(digest.items)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_reminders(*, today: date | None = None, now: datetime | None = None) -> int:
    """Send every digest due; return how many e-mails went out."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    digests = _due_digests(today) + _review_digests(now)
    for digest in digests:
        _send(digest, now)
    return len(digests)
