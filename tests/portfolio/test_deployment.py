"""The production shape: only the proxy is reachable from outside, it sets the headers the
application trusts, limits request size, and the image builds its static files with a real
key; its parts agree on timeouts, health checks and start order. (No container engine runs
here; the files are read. .ci/production-shape runs the same shape from this machine's own
processes.)"""

import os
import re
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

ROOT = Path(settings.BASE_DIR)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_only_the_proxy_publishes_ports():
    services = compose()["services"]
    assert set(services) == {"proxy", "web", "db", "redis", "migrate", "worker", "beat"}
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["proxy"]["ports"] == ["80:80", "443:443"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]


def test_the_proxy_sets_trusted_headers_and_limits_uploads():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "client_max_body_size 6m;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header X-Real-IP $remote_addr;" in conf
    assert "return 301 https://$host$request_uri;" in conf


def test_the_image_builds_without_a_weak_key():
    assert "build-only" not in (ROOT / "Dockerfile").read_text()
    assert "token_urlsafe(50)" in (ROOT / "Dockerfile").read_text()


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
