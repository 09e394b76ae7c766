"""The production shape's parts agree: timeouts, health checks, start order."""

import os
import re
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

ROOT = Path(settings.BASE_DIR)


def test_gunicorn_waits_as_long_as_the_proxy():
    proxy = re.search(r"proxy_read_timeout (\d+)s;", (ROOT / "deploy/nginx.conf").read_text())
    config: dict = {}
    exec((ROOT / "deploy/gunicorn.conf.py").read_text(), config)
    assert proxy is not None
    assert config["timeout"] == int(proxy.group(1)) == 120


def test_migrations_run_once_before_web_worker_and_beat_start():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert "migrate" in services["migrate"]["command"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name
        assert "migrate" not in str(services[name].get("command")), name
    for name in ("web", "proxy", "worker", "beat"):
        assert services[name].get("healthcheck"), name


def test_beat_health_fails_on_a_missing_or_old_schedule(tmp_path, capsys):
    schedule = tmp_path / "celerybeat-schedule"
    with pytest.raises(CommandError, match="has not started"):
        call_command("beat_health", str(schedule))
    written = tmp_path / "celerybeat-schedule.db"
    written.write_bytes(b"x")
    call_command("beat_health", str(schedule))
    assert "Beat wrote its schedule" in capsys.readouterr().out
    old = time.time() - 600
    os.utime(written, (old, old))
    with pytest.raises(CommandError, match="600 s ago"):
        call_command("beat_health", str(schedule))
