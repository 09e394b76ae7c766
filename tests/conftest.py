import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase
from django.utils import translation

from tests.browser import browser_context, chromium, page  # noqa: F401 (browser fixtures)
from tests.factories import (
    FundingFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def language_of_each_test_its_own():
    """A request in Spanish leaves Spanish active in the thread (LocaleMiddleware activates
    and nothing deactivates): the next test starts in the default language."""
    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def test_database_dropped_at_the_end(django_db_setup, django_db_blocker):
    """The threads of the live server may still hold a connection when the run ends, and
    PostgreSQL drops no database that someone is connected to."""
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def world(db):
    """Two projects of two NGOs, a funder of the first, their people and an outsider."""
    ngo_a = OrganisationFactory(name="NGO A", short_name="A")
    ngo_b = OrganisationFactory(name="NGO B", short_name="B")
    funder = OrganisationFactory(name="Funder F", short_name="F", kind="funder")
    project_a = ProjectFactory(title="Project of A")
    project_b = ProjectFactory(title="Project of B")
    PartnershipFactory(project=project_a, organisation=ngo_a)
    PartnershipFactory(project=project_b, organisation=ngo_b)
    FundingFactory(project=project_a, funder=funder)
    return {
        "ngo_a": ngo_a,
        "ngo_b": ngo_b,
        "funder": funder,
        "project_a": project_a,
        "project_b": project_b,
        "editor_a": MembershipFactory(organisation=ngo_a, role="editor").user,
        "editor_b": MembershipFactory(organisation=ngo_b, role="editor").user,
        "funder_viewer": MembershipFactory(organisation=funder, role="viewer").user,
        "outsider": UserFactory(username="outsider"),
    }


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker) -> str:
    """The demo portfolio, built once with its snapshots and kept as dumpdata's JSON: loading
    that for each test costs a fraction of building the demo again."""
    rows = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", "--reset-demo-accounts", verbosity=0, stdout=io.StringIO())
        call_command(
            "dumpdata",
            exclude=["contenttypes", "auth.permission", "sessions", "admin.logentry"],
            stdout=rows,
        )
        transaction.set_rollback(True)
    return rows.getvalue()


@pytest.fixture
def demo(db, demo_rows, tmp_path):
    """The demo portfolio, as `load_demo` leaves it (accounts reset, snapshots computed)."""
    fixture = tmp_path / "demo.json"
    fixture.write_text(demo_rows)
    call_command("loaddata", str(fixture), verbosity=0)
