"""Checks the production shape started by .ci/production-shape, over HTTPS as a browser and a
partner would: health, redirects, security headers, static files, sign-in, and an approval
that reaches the figures the dashboards read (recomputed by the Celery worker).

Standard library only; prints each check with what it measured and exits 1 on the first
failure."""

import argparse
import gzip
import http.cookiejar
import json
import re
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

PASSWORD = "portal-demo-2025"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Browser:
    def __init__(self, base: str, context: ssl.SSLContext) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirect,
        )

    def request(
        self,
        path: str,
        data: dict | None = None,
        headers: dict | None = None,
        json_body: dict | None = None,
    ):
        body = None
        headers = {"Origin": self.base, "Referer": self.base + "/", **(headers or {})}
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
            headers["X-CSRFToken"] = self.cookie("csrftoken")
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            return self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as answer:
            return answer

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "") or ""

    def sign_in(self, username: str) -> None:
        page = self.request("/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the sign-in page"
        answer = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD},
        )
        assert answer.status == 302, f"sign-in answered {answer.status}"
        session = next(c for c in self.cookies if c.name == "sessionid")
        assert session.secure, "the session cookie is not Secure"

    def json(self, path: str):
        answer = self.request(path, headers={"Accept": "application/json"})
        assert answer.status == 200, f"{path} answered {answer.status}"
        return json.loads(answer.read())


def check(name: str):
    def wrap(function):
        def run(*args, **kwargs):
            started = time.monotonic()
            detail = function(*args, **kwargs)
            print(
                f"ok   {name} ({time.monotonic() - started:.2f} s){': ' + detail if detail else ''}"
            )

        return run

    return wrap


@check("/healthz over plain HTTP through the proxy")
def live(http: str, context: ssl.SSLContext) -> str:
    answer = urllib.request.urlopen(http + "/healthz", timeout=10)
    body = json.loads(answer.read())
    assert answer.status == 200 and set(body.values()) == {"OK"}, body
    return json.dumps(body)


@check("/healthz/ready over HTTPS: database, Redis, a worker on the queue")
def ready(browser: Browser) -> str:
    deadline = time.monotonic() + 60
    while True:
        answer = browser.request("/healthz/ready", headers={"Accept": "application/json"})
        body = json.loads(answer.read())
        if answer.status == 200:
            break
        assert time.monotonic() < deadline, body
        time.sleep(1)
    assert any(key.startswith("Workers") for key in body) and any(
        k.startswith("Redis") for k in body
    )
    return json.dumps(body)


@check("plain HTTP is redirected to HTTPS")
def redirected(http: str) -> str:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(http + "/accounts/login/", timeout=10)
        raise AssertionError("no redirect")
    except urllib.error.HTTPError as answer:
        assert answer.status == 301 and answer.headers["Location"].startswith("https://")
        return f"301 → {answer.headers['Location']}"


@check("security headers on a page")
def headers(browser: Browser) -> str:
    answer = browser.request("/accounts/login/")
    assert answer.status == 200, answer.status
    expected = {
        "Strict-Transport-Security": "max-age=31536000",
        "Content-Security-Policy": "default-src 'self'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    for name, value in expected.items():
        assert value in (answer.headers.get(name) or ""), (name, answer.headers.get(name))
    csrf = next(c for c in browser.cookies if c.name == "csrftoken")
    assert csrf.secure, "the CSRF cookie is not Secure"
    return ", ".join(expected)


@check("static files compressed, with long cache headers")
def static(browser: Browser) -> str:
    page = browser.request("/accounts/login/").read().decode()
    found = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert found, "no hashed stylesheet on the page"
    answer = browser.request(found.group(1), headers={"Accept-Encoding": "gzip"})
    body = answer.read()
    assert answer.status == 200, answer.status
    assert answer.headers["Content-Encoding"] == "gzip", answer.headers["Content-Encoding"]
    assert gzip.decompress(body)
    cache = answer.headers["Cache-Control"]
    assert "immutable" in cache and "max-age=315360000" in cache, cache
    return f"{found.group(1)}: gzip, {len(body):,} bytes, {cache}"


@check("sign-in, and an approval reaching the figures the dashboards read")
def approval(base: str, context: ssl.SSLContext) -> str:
    manager = Browser(base, context)
    manager.sign_in("mam-manager")
    waiting = manager.json("/api/v1/updates/?status=submitted&page_size=100")["results"]
    chosen = None
    for update in waiting:
        indicator = manager.json(f"/api/v1/indicators/{update['indicator']}/")
        if indicator["aggregation"] == "sum" and update.get("value") is not None:
            chosen = update, indicator
            break
    assert chosen, "no submitted update of a summed indicator in the demo portfolio"
    update, before = chosen
    started = time.monotonic()
    answer = manager.request(f"/api/v1/updates/{update['id']}/approve/", json_body={})
    assert answer.status == 200, (answer.status, answer.read()[:300])
    expected = Decimal(before["achieved_value"] or 0) + Decimal(update["value"])
    while True:
        after = manager.json(f"/api/v1/indicators/{update['indicator']}/")
        if after["achieved_value"] is not None and Decimal(after["achieved_value"]) == expected:
            break
        assert time.monotonic() - started < 30, (before["achieved_value"], after)
        time.sleep(0.25)
    return (
        f"update {update['id']} approved; indicator {before['code']} "
        f"{before['achieved_value']} → {after['achieved_value']} "
        f"after {time.monotonic() - started:.2f} s"
    )


@check("beat is alive (its schedule file)")
def beat(schedule: str) -> str:
    finished = subprocess.run(
        [sys.executable, "manage.py", "beat_health", schedule],
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--https", required=True)
    parser.add_argument("--http", required=True)
    parser.add_argument("--certificate", required=True)
    parser.add_argument("--beat-schedule", required=True)
    arguments = parser.parse_args()
    context = ssl.create_default_context(cafile=arguments.certificate)
    browser = Browser(arguments.https, context)
    try:
        live(arguments.http, context)
        ready(browser)
        redirected(arguments.http)
        headers(browser)
        static(browser)
        approval(arguments.https, context)
        beat(arguments.beat_schedule)
    except AssertionError as failure:
        print(f"FAIL {failure}")
        sys.exit(1)


if __name__ == "__main__":
    main()
