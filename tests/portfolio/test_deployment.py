"""The production shape: only the proxy is reachable from outside, it sets the headers the
application trusts, limits request size, and the image builds its static files with a real
key. (No container engine runs here; the files are read.)"""

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_only_the_proxy_publishes_ports():
    services = compose()["services"]
    assert set(services) == {"proxy", "web", "db", "redis", "worker", "beat"}
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
