"""Snapshots kept fresh by a real Celery worker on Redis, against PostgreSQL.

These start worker (and beat) processes that share the test database, so they run where
REDIS_URL is set and the database is PostgreSQL (CI's second pass); elsewhere they are skipped.
"""

import math
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.urls import reverse

from core.processes import CeleryProcess, database_url, wait_until
from indicators import services
from indicators.models import IndicatorSnapshot, ProgressUpdate
from portfolio.celery import app as celery_app
from tests.factories import (
    FundingFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgressUpdateFactory,
    ProjectFactory,
)

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL for a real Celery worker"),
    pytest.mark.django_db(transaction=True),
]
BASE_DIR = Path(settings.BASE_DIR)


def shared_database_url() -> str:
    if connection.vendor != "postgresql":
        pytest.skip("worker processes share the test database only on PostgreSQL")
    return database_url()


WORKER_SESSIONS = "portfolio-test-worker"


def process_env(redis_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portfolio.settings.test",
        "DATABASE_URL": shared_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # libpq names the worker's sessions, so that only they are ended after a test.
        "PGAPPNAME": WORKER_SESSIONS,
        **extra,
    }


def worker(redis_url: str, **extra: str) -> CeleryProcess:
    return CeleryProcess(
        "worker",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
        env=process_env(redis_url, **extra),
        ready="ready.",
    )


@pytest.fixture
def real_tasks(settings) -> Iterator[None]:
    """Send tasks to the broker instead of running them in this process."""
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    yield
    celery_app.conf.task_always_eager = True
    # A killed worker's session lingers until PostgreSQL notices; end it so the test database
    # can be flushed and dropped. Only the workers' sessions: the live server's stay.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = %s",
                [WORKER_SESSIONS],
            )


@pytest.fixture
def running_worker(real_tasks) -> Iterator[CeleryProcess]:
    process = worker(settings.REDIS_URL).start()
    yield process
    process.stop()


@pytest.fixture
def funded_project():
    funder = OrganisationFactory(kind="funder")
    ngo = OrganisationFactory()
    project = ProjectFactory(planned_start=date(2024, 1, 1), planned_end=date(2026, 12, 31))
    FundingFactory(project=project, funder=funder)
    PartnershipFactory(project=project, organisation=ngo)
    return {
        "project": project,
        "funder": funder,
        "editor": MembershipFactory(organisation=ngo, role="editor").user,
        "manager": MembershipFactory(organisation=ngo, role="manager").user,
        "funder_viewer": MembershipFactory(organisation=funder, role="viewer").user,
    }


def submitted(indicator, editor, value: int, count: int = 1) -> list[ProgressUpdate]:
    return [
        ProgressUpdateFactory.create(
            indicator=indicator,
            value=Decimal(value),
            status=ProgressUpdate.Status.SUBMITTED,
            submitted_by=editor,
            reviewed_at=None,
            as_of=date(2025, 3, 1),
        )
        for _ in range(count)
    ]


def snapshot_of(indicator) -> IndicatorSnapshot | None:
    return IndicatorSnapshot.objects.filter(pk=indicator.pk).first()


def is_fresh(indicator, achieved: Decimal) -> bool:
    snapshot = snapshot_of(indicator)
    return snapshot is not None and snapshot.stale_since is None and snapshot.achieved == achieved


def test_an_approval_shows_on_the_dashboard_within_5_seconds(
    running_worker, funded_project, client
):
    indicator = IndicatorFactory(project=funded_project["project"], unit="people")
    (update,) = submitted(indicator, funded_project["editor"], 42)
    services.approve_update(update=update, by=funded_project["manager"])
    seconds = wait_until(lambda: is_fresh(indicator, Decimal(42)), timeout=5)
    print(f"approval reflected in the snapshot after {seconds:.2f} s")
    client.force_login(funded_project["funder_viewer"])
    url = reverse(
        "dashboard-project",
        args=[funded_project["funder"].pk, "funder", funded_project["project"].pk],
    )
    assert "42 people" in client.get(url).text


def test_a_burst_of_approvals_ends_exact_with_at_most_one_job_per_wait(
    running_worker, funded_project
):
    # The default wait. How many jobs a burst costs depends on how fast the approvals come,
    # which depends on the machine; one job per wait at most does not.
    window = settings.SNAPSHOT_COALESCE_SECONDS
    indicator = IndicatorFactory(project=funded_project["project"], target_value=Decimal(1000))
    updates = submitted(indicator, funded_project["editor"], 1, count=100)
    started = time.monotonic()
    for update in updates:
        services.approve_update(update=update, by=funded_project["manager"])
    burst = time.monotonic() - started
    wait_until(lambda: is_fresh(indicator, Decimal(100)), timeout=60)
    time.sleep(window + 1)  # any job a late approval queued has run
    jobs = snapshot_of(indicator).recomputes
    print(f"100 approvals in {burst:.1f} s with a {window} s wait; {jobs} recompute jobs")
    assert 1 <= jobs <= math.ceil(burst / window) + 1 < 100


def test_a_worker_killed_mid_recompute_ends_with_exact_figures_once_restarted(
    real_tasks, funded_project, settings
):
    settings.SNAPSHOT_COALESCE_SECONDS = 0
    indicators = [IndicatorFactory(project=funded_project["project"]) for _ in range(120)]
    values = {indicator.pk: Decimal(index + 1) for index, indicator in enumerate(indicators)}
    updates = [submitted(i, funded_project["editor"], int(values[i.pk]))[0] for i in indicators]
    first = worker(settings.REDIS_URL).start()
    for update in updates:
        services.approve_update(update=update, by=funded_project["manager"])
    wait_until(
        lambda: IndicatorSnapshot.objects.filter(pk__in=values, stale_since__isnull=True).exists(),
        timeout=30,
    )
    first.kill()
    left_stale = IndicatorSnapshot.objects.filter(pk__in=values, stale_since__isnull=False).count()
    print(f"worker killed with {left_stale} of 120 snapshots still to recompute")
    assert left_stale > 0, "the worker finished before it could be killed mid-way"

    second = worker(settings.REDIS_URL).start()
    try:
        wait_until(
            lambda: (
                not IndicatorSnapshot.objects.filter(
                    pk__in=values, stale_since__isnull=False
                ).exists()
            ),
            timeout=90,
            step=0.5,
        )
    finally:
        second.stop()
    for snapshot in IndicatorSnapshot.objects.filter(pk__in=values):
        assert snapshot.achieved == values[snapshot.pk]


def approved_sum(indicator) -> Decimal:
    """The figure computed directly from the approved updates, as a check on the snapshot."""
    return ProgressUpdate.objects.filter(
        indicator=indicator, status=ProgressUpdate.Status.APPROVED
    ).aggregate(total=Sum("value"))["total"] or Decimal(0)


def test_after_a_worker_is_killed_approvals_are_right_within_30_s_of_its_return_without_beat(
    real_tasks, funded_project, settings
):
    """The first approval's job waits in the worker (unacknowledged) when the worker is killed;
    the second approval comes after the returning worker's first repair, while the first job's
    "pending" key may still be there. No beat runs."""
    settings.SNAPSHOT_COALESCE_SECONDS = 3
    coalesce = {"SNAPSHOT_COALESCE_SECONDS": "3"}
    indicator = IndicatorFactory(project=funded_project["project"], target_value=Decimal(100))
    (first,) = submitted(indicator, funded_project["editor"], 5)
    (second,) = submitted(indicator, funded_project["editor"], 7)
    killed = worker(settings.REDIS_URL, **coalesce).start()
    try:
        services.approve_update(update=first, by=funded_project["manager"])
        wait_until(lambda: "recompute_indicator" in killed.log.read_text(), timeout=10)
    finally:
        killed.kill()
    assert not is_fresh(indicator, Decimal(5))

    returned = worker(settings.REDIS_URL, **coalesce).start()
    back = time.monotonic()
    try:
        wait_until(lambda: is_fresh(indicator, Decimal(5)), timeout=30)  # the repair at start
        services.approve_update(update=second, by=funded_project["manager"])
        wait_until(lambda: is_fresh(indicator, Decimal(12)), timeout=30, step=0.2)
        seconds = time.monotonic() - back
    finally:
        returned.stop()
    print(f"figures right {seconds:.1f} s after the worker's return (killed with SIGKILL)")
    assert seconds < 30
    assert snapshot_of(indicator).achieved == approved_sum(indicator) == Decimal(12)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A private Redis on a spare port, so that stopping it disturbs nothing else."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10)
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


APPROVE = """
import django
django.setup()
from indicators import services
from indicators.models import ProgressUpdate
from partners.models import User
update = ProgressUpdate.objects.get(pk={update})
services.approve_update(update=update, by=User.objects.get(pk={reviewer}))
print("approved")
"""


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs the redis-server program")
def test_with_redis_stopped_approving_saves_and_beat_catches_up_once_it_is_back(
    real_tasks, funded_project, client, tmp_path
):
    redis = RedisServer().start()
    processes = []
    try:
        processes.append(worker(redis.url).start())
        indicator = IndicatorFactory(project=funded_project["project"], unit="people")
        (update,) = submitted(indicator, funded_project["editor"], 17)
        redis.stop()

        # The web process approves while Redis is down.
        started = time.monotonic()
        web = subprocess.run(
            [
                sys.executable,
                "-c",
                APPROVE.format(update=update.pk, reviewer=funded_project["manager"].pk),
            ],
            cwd=BASE_DIR,
            env=process_env(redis.url),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert web.returncode == 0, web.stderr
        print(f"approval saved with Redis down in {time.monotonic() - started:.1f} s")
        assert ProgressUpdate.objects.get(pk=update.pk).status == ProgressUpdate.Status.APPROVED
        assert not is_fresh(indicator, Decimal(17))

        redis.start()
        processes.append(
            CeleryProcess(
                "beat",
                "--schedule",
                str(tmp_path / "beat-schedule"),
                "--loglevel=INFO",
                env=process_env(redis.url, SNAPSHOT_REPAIR_SECONDS="1"),
                ready="beat: Starting",
            ).start()
        )
        seconds = wait_until(lambda: is_fresh(indicator, Decimal(17)), timeout=90, step=0.5)
        print(f"dashboard up to date {seconds:.1f} s after Redis came back")
        client.force_login(funded_project["funder_viewer"])
        url = reverse(
            "dashboard-project",
            args=[funded_project["funder"].pk, "funder", funded_project["project"].pk],
        )
        assert "17 people" in client.get(url).text
    finally:
        for process in processes:
            process.stop()
        redis.stop()


def test_a_worker_sends_the_reminders_once(real_tasks, funded_project):
    from django.utils import timezone

    from indicators.models import Reminder
    from indicators.tasks import recompute_indicator, send_reminders
    from tests.factories import IndicatorFactory, PeriodFactory

    today = timezone.localdate()
    project = funded_project["project"]
    PeriodFactory(project=project, start=today - timedelta(days=170), end=today + timedelta(days=3))
    indicator = IndicatorFactory(project=project)
    editor = funded_project["editor"]
    editor.email = "editor@example.org"
    editor.save()
    # E-mails printed to the worker's log, where the test reads them.
    process = worker(settings.REDIS_URL, EMAIL_URL="consolemail://").start()
    try:
        send_reminders.delay()
        wait_until(lambda: Reminder.objects.filter(user=editor, kind="due").exists(), 30)
        send_reminders.delay()  # again: nothing new is sent or recorded
        # One task at a time, in order: once a recompute sent after it is done, so is the run.
        recompute_indicator.delay(indicator.pk)
        wait_until(
            lambda: IndicatorSnapshot.objects.filter(pk=indicator.pk, recomputes__gte=1).exists(),
            30,
        )
        assert Reminder.objects.filter(user=editor).count() == 1
        assert process.log.read_text().count("To: editor@example.org") == 1
    finally:
        process.stop()
