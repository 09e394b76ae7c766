"""Production settings: they refuse a missing, placeholder or weak secret key, and with the
values of .env.example (and a real key) Django's deployment check finds nothing."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from core.processes import database_url

SETUP = "import django; django.setup(); print('started')"
STRONG_KEY = secrets.token_urlsafe(50)


def example_values() -> dict[str, str]:
    values = {}
    for line in (Path(settings.BASE_DIR) / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def run_with(env_overrides: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env.update({"DJANGO_SETTINGS_MODULE": "portfolio.settings.production", **env_overrides})
    return subprocess.run(
        list(command) or [sys.executable, "-c", SETUP],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (example_values()["SECRET_KEY"], "placeholder"),
        ("django-insecure-" + "x" * 60, "placeholder"),
        ("a-long-random-production-secret", "too weak"),
        ("ab" * 40, "too weak"),
    ],
)
def test_production_refuses_a_placeholder_or_weak_secret_key(key, message):
    result = run_with({"SECRET_KEY": key})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_strong_secret_key():
    result = run_with({"SECRET_KEY": STRONG_KEY})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_the_deployment_check_is_clean_with_the_example_values():
    values = {**example_values(), "SECRET_KEY": STRONG_KEY}
    result = run_with(
        values, sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_a_dot_env_file_is_not_read_unless_named(tmp_path):
    """After `cp .env.example .env` for compose, `make run` must not pick up compose's values."""
    dot_env = Path(settings.BASE_DIR) / ".env"
    if dot_env.exists():
        pytest.skip("this checkout has a .env of its own")
    script = SETUP + "; from django.conf import settings; print(settings.TIME_ZONE)"
    dev = {"DJANGO_SETTINGS_MODULE": "portfolio.settings.dev"}
    dot_env.write_text("TIME_ZONE=Asia/Tokyo\n")
    try:
        plain = run_with(dev, sys.executable, "-c", script)
        named = run_with({**dev, "ENV_FILE": str(dot_env)}, sys.executable, "-c", script)
    finally:
        dot_env.unlink()
    assert "Asia/Tokyo" not in plain.stdout
    assert "Asia/Tokyo" in named.stdout


def test_pages_send_a_content_security_policy_without_inline_script(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


postgresql_only = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="a server database's connections",
)


def printed_last_in_production(program: str, asked: dict[str, str]) -> str:
    """What a production process running `program` on the test database prints last."""
    done = run_with(
        {"SECRET_KEY": STRONG_KEY, "DATABASE_URL": database_url(), **asked},
        sys.executable,
        "-c",
        "import django; django.setup(); from django.db import connection\n" + program,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@postgresql_only
@pytest.mark.parametrize(("asked", "jit"), [({}, "off"), ({"DATABASE_JIT_OFF": "false"}, "on")])
def test_postgresql_connections_run_without_compiling_queries_unless_told(db, asked, jit):
    show = "cursor = connection.cursor(); cursor.execute('SHOW jit'); print(cursor.fetchone()[0])"
    assert printed_last_in_production(show, asked) == jit


@postgresql_only
@pytest.mark.parametrize(("asked", "kept"), [({}, True), ({"CONN_MAX_AGE": "0"}, False)])
def test_a_process_keeps_its_database_connection_between_requests_unless_told(db, asked, kept):
    """Two requests in one process: the second reuses the first one's connection."""
    two_requests = (
        "from django.core.signals import request_finished\n"
        "pids = []\n"
        "for _ in range(2):\n"
        "    cursor = connection.cursor(); cursor.execute('SELECT pg_backend_pid()')\n"
        "    pids.append(cursor.fetchone()[0]); request_finished.send(sender=None)\n"
        "print(pids[0] == pids[1])"
    )
    assert printed_last_in_production(two_requests, asked) == str(kept)
