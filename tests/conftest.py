import io
import json
from collections import defaultdict
from typing import Any

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
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
def demo_rows(django_db_setup, django_db_blocker) -> list[dict]:
    """The demo portfolio, built once with its snapshots and kept as dumpdata's rows: inserting
    those for each test costs a fraction of building the demo again."""
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
    return json.loads(rows.getvalue())


@pytest.fixture
def demo(db, demo_rows):
    """The demo portfolio, as `load_demo` leaves it (accounts reset, snapshots computed).

    The rows go in as loaddata would put them (raw: timestamps kept, no signals), but a table
    at a time rather than a row at a time, which is what makes a test with the demo cheap."""
    insert_rows(demo_rows)


@pytest.fixture
def demo_portal(transactional_db, demo_rows):
    """The demo portfolio committed, for a server answering from other threads."""
    insert_rows(demo_rows)


@transaction.atomic
def insert_rows(rows: list[dict]) -> None:
    objects = list(serializers.deserialize("python", rows))
    by_model: dict[type[Model], list[Model]] = defaultdict(list)
    for item in objects:
        by_model[type(item.object)].append(item.object)
    with connection.constraint_checks_disabled():
        for model, instances in by_model.items():
            fields = list(model._meta.local_concrete_fields)
            size = connection.ops.bulk_batch_size(fields, instances) or len(instances)
            for start in range(0, len(instances), size):
                rows_of: Any = model._base_manager  # raw: the rows' own timestamps, no signals
                rows_of._insert(instances[start : start + size], fields=fields, raw=True)
        links: dict[type[Model], list[Model]] = defaultdict(list)
        for item in objects:
            for name, pks in (item.m2m_data or {}).items():
                field: Any = item.object._meta.get_field(name)
                through = field.remote_field.through
                links[through].extend(
                    through(
                        **{
                            f"{field.m2m_field_name()}_id": item.object.pk,
                            f"{field.m2m_reverse_field_name()}_id": pk,
                        }
                    )
                    for pk in pks
                )
        for through, instances in links.items():
            through._base_manager.bulk_create(instances)
    connection.check_constraints(table_names=[m._meta.db_table for m in by_model])
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(by_model)):
            cursor.execute(sql)
