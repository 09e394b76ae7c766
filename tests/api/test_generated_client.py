"""A partner system built the usual way: a client generated from the schema
(openapi-python-client), pulling everything, then keeping its copy with the change feed while
the portal's people work."""

import importlib
import random
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from lxml import etree

from portfolio.wsgi import application
from tests.api.workflow import Workflow
from tests.factories import register_for_iati

pytestmark = pytest.mark.django_db
PACKAGE = "portal_client"


@pytest.fixture
def generated(api, tmp_path, monkeypatch):
    """The client package generated from the live schema, imported."""
    schema = tmp_path / "schema.json"
    schema.write_bytes(api("aspem_read").get("/api/v1/schema/?format=json").content)
    tool = Path(sys.executable).parent / "openapi-python-client"
    finished = subprocess.run(
        [
            str(tool),
            *("generate", "--path", str(schema), "--meta", "none"),
            *("--output-path", str(tmp_path / PACKAGE)),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        # Its formatting step runs ruff, which lives beside the tool.
        env={"PATH": str(tool.parent), "HOME": str(tmp_path)},
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    # Every operation typed: nothing left out for a media type the tool could not read.
    assert "WARNING" not in finished.stdout + finished.stderr, finished.stdout
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]
    yield importlib.import_module(PACKAGE)
    shutil.rmtree(tmp_path / PACKAGE, ignore_errors=True)


def in_test_transaction(environ, start_response):
    """The WSGI application, without the handler closing the database connection (and with it
    the test's transaction) around the request; Django's test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        answer = application(environ, start_response)
        try:
            body = b"".join(answer)
        finally:
            answer.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return [body]


def connect(generated, key: str):
    transport = httpx.WSGITransport(app=in_test_transaction)
    return generated.AuthenticatedClient(
        base_url="http://testserver",
        token=key,
        prefix="Token",
        httpx_args={"transport": transport},
    )


def operation(generated, module: str):
    return importlib.import_module(f"{PACKAGE}.api.{module}")


def pull(generated, client) -> dict:
    """Every list read to its end, as dicts keyed by type and id."""
    copy = {}
    for kind, module in (
        ("organisation", "organisations.organisations_list"),
        ("library", "libraries.libraries_list"),
        ("budget_line", "budget_lines.budget_lines_list"),
        ("period_report", "period_reports.period_reports_list"),
        ("project", "projects.projects_list"),
        ("indicator", "indicators.indicators_list"),
        ("update", "updates.updates_list"),
    ):
        page_number = 1
        while True:
            answer = operation(generated, module).sync_detailed(
                client=client, page=page_number, page_size=500
            )
            assert answer.status_code == 200, answer.content
            page = answer.parsed
            copy.update({(kind, row.id): row.to_dict() for row in page.results})
            if not page.next_:
                break
            page_number += 1
    return copy


def follow(generated, client, copy: dict, since: str) -> str:
    changes = operation(generated, "changes.changes_list")
    while True:
        answer = changes.sync_detailed(client=client, since=since, limit=5)
        assert answer.status_code == 200, answer.content
        page = answer.parsed
        for change in page.results:
            key = (change.type_.value, change.id)
            if change.action.value == "changed":
                copy[key] = change.data.to_dict()
            else:
                copy.pop(key, None)
        since = page.cursor
        if not page.next_:
            return since


@pytest.mark.parametrize("seed", [11, 12])
def test_a_partner_with_a_generated_client_keeps_an_exact_copy(
    generated, api, tokens, ce, seed, django_capture_on_commit_callbacks
):
    rng = random.Random(seed)
    partners = {name: connect(generated, tokens[name]) for name in ("eu_read", "aspem_read")}
    copies = {name: pull(generated, client) for name, client in partners.items()}
    # The feed from the start holds exactly the full pull.
    cursors = {}
    for name, client in partners.items():
        fresh: dict = {}
        cursors[name] = follow(generated, client, fresh, "")
        assert fresh == copies[name]

    workflow = Workflow(api, ce, rng)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(4):
                workflow.step()
        for name, client in partners.items():
            cursors[name] = follow(generated, client, copies[name], cursors[name])
    assert len(workflow.done) >= 5, workflow.done
    for name, client in partners.items():
        assert copies[name] == pull(generated, client), name


def test_the_generated_client_reads_conditional_answers_and_iati_documents(generated, tokens, ce):
    client = connect(generated, tokens["aspem_read"])
    listing = operation(generated, "projects.projects_list")
    first = listing.sync_detailed(client=client)
    assert first.status_code == 200
    again = listing.sync_detailed(client=client, if_none_match=first.headers["ETag"])
    assert (again.status_code, again.parsed) == (304, None)
    assert again.headers["RateLimit-Policy"].startswith('"default";q=')

    register_for_iati(ce["project"])
    document = operation(generated, "projects.projects_iati_retrieve").sync(
        client=client, id=ce["project"].pk
    )
    assert isinstance(document, str)
    root = etree.fromstring(document.encode())
    assert root.tag == "iati-activities"
