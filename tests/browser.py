"""What the browser tests share: Debian's headless Chromium driven by Playwright, and signing in.

Nothing is downloaded at run time.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "portal-demo-2025"

MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"No Chromium at {CHROMIUM}: install Debian's chromium package (or set CHROMIUM).",
    ),
]


PHONE = {"viewport": {"width": 360, "height": 780}, "locale": "en-GB"}


@pytest.fixture
def chromium(live_server) -> Iterator:
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; the ORM calls the test
    # makes around it are ordinary blocking calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser_context(chromium):
    """A phone-sized browser window."""
    return chromium.new_context(**PHONE)


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def fits_the_screen(page) -> bool:
    # A click that navigates returns once the new URL is committed, before its document exists.
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
