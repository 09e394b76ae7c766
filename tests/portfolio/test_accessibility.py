"""Every page each kind of user reaches, checked by axe-core in Chromium: no violation of any
impact, and every id an aria attribute refers to exists.

The pages are found by following the links of the portal from its home page, as the user would,
visiting up to two pages of each shape (`/indicators/<id>/` once for a count and once for a
percentage, say) so that every template is checked without visiting every row of the demo.
"""

import re
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings

from tests.browser import MARKS, PHONE, sign_in

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    *MARKS,
    pytest.mark.accessibility,
    pytest.mark.skipif(
        not AXE.exists(), reason=f"No axe-core at {AXE}: run `npm ci` (make test does)."
    ),
]

# Not pages of the portal (the admin is for operators; the API answers JSON), or files.
SKIPPED = re.compile(
    r"^/(admin|api|static|media)/|/logout/|\.(csv|xlsx|xml|pdf|json|docx)$|/export"
)
PER_SHAPE = 2
MOST_PAGES = 70

CHECK = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  const missing = [];
  for (const element of document.querySelectorAll("[aria-describedby], [aria-labelledby]")) {
    for (const name of ["aria-describedby", "aria-labelledby"]) {
      for (const id of (element.getAttribute(name) || "").split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) missing.push(`${name}="${id}" on <${element.localName}>`);
      }
    }
  }
  return {
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160)),
    })),
    missing,
  };
}"""


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


# Reached from outside the portal's links: a mistyped address, an e-mail's links.
ALSO_VISITED = [
    "/no-such-page/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/MQ/not-a-token/",
    "/invitations/not-a-key/",
]


def crawl_and_check(page, base: str) -> tuple[list[str], list[str]]:
    """Visit what the user can reach from the home page; return the pages visited and the
    problems found on them."""
    queue = ["/", *ALSO_VISITED]
    seen = set(queue)
    per_shape: dict[str, int] = {}
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < MOST_PAGES:
        path = queue.pop(0)
        if per_shape.get(shape(path), 0) >= PER_SHAPE:
            continue
        response = page.goto(base + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        per_shape[shape(path)] = per_shape.get(shape(path), 0) + 1
        visited.append(path)
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(CHECK)
        for violation in found["violations"]:
            problems.append(
                f"{path}: {violation['id']} ({violation['impact']}) {violation['help']}: "
                + " | ".join(violation["nodes"])
            )
        problems.extend(f"{path}: no element for {ref}" for ref in found["missing"])
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urlsplit(urldefrag(href)[0])
            if url.netloc != urlsplit(base).netloc:
                continue
            target = url.path
            if target not in seen and not SKIPPED.search(target):
                seen.add(target)
                queue.append(target)
    return visited, problems


def check(browser_context, base: str, username: str | None, language: str = "en") -> list[str]:
    page = browser_context.new_page()
    if username:
        sign_in(page, base, username)
    if language != "en":
        browser_context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
        )
    visited, problems = crawl_and_check(page, base)
    assert len(visited) >= (10 if username else 2), visited
    print(f"{username or 'signed out'} ({language}): {len(visited)} pages checked")
    return problems


@pytest.fixture
def axe_context(chromium):
    # The portal's Content-Security-Policy admits no script but its own; axe is the test's.
    return chromium.new_context(bypass_csp=True, **PHONE)


@pytest.mark.parametrize(
    "username",
    ["aspem-editor", "aspem-manager", "mam-admin", "eu-viewer", "conamovidi-manager"],
)
def test_accessibility_of_every_page_a_signed_in_user_reaches(
    live_server, demo_portal, axe_context, username
):
    problems = check(axe_context, live_server.url, username)
    assert not problems, "\n".join(problems)


def test_accessibility_of_the_pages_before_signing_in(live_server, demo_portal, axe_context):
    problems = check(axe_context, live_server.url, None)
    assert not problems, "\n".join(problems)


def test_accessibility_of_the_spanish_pages(live_server, demo_portal, axe_context):
    problems = check(axe_context, live_server.url, "aspem-manager", language="es")
    assert not problems, "\n".join(problems)


def test_accessibility_of_a_report_form_sent_with_mistakes(live_server, demo_portal, axe_context):
    page = axe_context.new_page()
    sign_in(page, live_server.url, "aspem-editor")
    page.get_by_role("link", name="My indicators").click()
    page.locator("li.card", has_text="CE-5").get_by_role("link", name="Report progress").click()
    page.get_by_label("Women", exact=True).fill("-5")
    page.get_by_role("button", name="Submit for review").click()
    page.locator(".field.invalid").first.wait_for()
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(CHECK)
    assert found == {"violations": [], "missing": []}
