"""Production settings refuse to start without a secret key."""

import os
import subprocess
import sys

from django.conf import settings

SETUP = "import django; django.setup(); print('started')"


def run_with(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env.update({"DJANGO_SETTINGS_MODULE": "portfolio.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_starts_with_a_secret_key():
    result = run_with({"SECRET_KEY": "a-long-random-production-secret"})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
