"""Reporting from a phone that loses its connection, in Chromium with the service worker."""

import pytest

from core.processes import wait_until
from indicators.models import Indicator, ProgressUpdate
from tests.browser import MARKS, sign_in

pytestmark = MARKS


# Run in the page: copy the kept reports aside, or put the copies back, as a tab that read them
# just before another sent them would send them again; or count them.
OUTBOX = """async (restore) => {
  const db = await new Promise(done => {
    const opening = indexedDB.open("portal-outbox", 1);
    opening.onsuccess = () => done(opening.result);
  });
  const store = db.transaction("reports", "readwrite").objectStore("reports");
  if (restore === "count") {
    return await new Promise(done => {
      const counting = store.count();
      counting.onsuccess = () => done(counting.result);
    });
  }
  if (restore) {
    for (const report of window.keptCopies) store.put(report);
    return window.keptCopies.length;
  }
  window.keptCopies = await new Promise(done => {
    const reading = store.getAll();
    reading.onsuccess = () => done(reading.result);
  });
  return window.keptCopies.length;
}"""


def waiting_panel(page) -> str:
    return page.locator("#outbox").inner_text()


def panel_says(page, words: str) -> None:
    # The panel is filled from the device's store after the page has loaded.
    wait_until(lambda: words in waiting_panel(page), timeout=10)


@pytest.mark.django_db(transaction=True)
def test_offline_report_is_kept_on_the_phone_and_recorded_once_back_online(
    live_server, browser_context, demo_portal
):
    associates = Indicator.objects.get(code="CE-5")
    assert not associates.updates.exists()
    base = live_server.url
    page = browser_context.new_page()
    sign_in(page, base, "aspem-editor")
    page.get_by_role("link", name="My indicators").click()
    # The service worker has kept the page and every form linked from it.
    page.locator("body[data-offline-ready=yes]").wait_for()

    browser_context.set_offline(True)
    assert page.evaluate("fetch('/healthz').then(() => 'reached', () => 'unreachable')") == (
        "unreachable"
    )
    card = page.locator("li.card", has_text="CE-5")
    card.get_by_role("link", name="Report progress").click()
    page.get_by_label("Women", exact=True).fill("7")
    page.get_by_label("Men", exact=True).fill("3")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("No connection: this report is kept on this device").wait_for()
    panel_says(page, "waiting to be sent: 1")
    assert "CE-5" in waiting_panel(page)
    assert not associates.updates.exists()

    # Still offline, "My indicators" opens from the device and says what waits; a second tab
    # is open too, so that both try to send the report when the connection returns.
    page.get_by_role("link", name="My indicators").click()
    panel_says(page, "waiting to be sent: 1")
    assert page.evaluate(OUTBOX, False) == 1
    other_tab = browser_context.new_page()
    browser_context.set_offline(False)
    other_tab.goto(f"{base}/indicators/mine/")
    page.evaluate("window.dispatchEvent(new Event('online'))")

    # One of the tabs sent it and says so; neither has anything left waiting. (The database is
    # read once the tabs are done: the test database in memory does not let this thread read
    # while the server writes.)
    wait_until(lambda: "sent now" in waiting_panel(page) + waiting_panel(other_tab), timeout=20)
    for tab in (page, other_tab):
        wait_until(lambda tab=tab: "waiting" not in waiting_panel(tab), timeout=20)
    update = ProgressUpdate.objects.get(indicator=associates)
    assert (update.status, update.value) == ("submitted", 10)
    assert {v.category.slug: v.value for v in update.values.all()} == {"women": 7, "men": 3}

    # Sent again (by a tab that read it before it was sent): the portal knows its key.
    assert page.evaluate(OUTBOX, True) == 1
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(lambda: page.evaluate(OUTBOX, "count") == 0, timeout=20)
    assert associates.updates.count() == 1

    # Reloaded: nothing is left to send, and nothing was recorded twice.
    page.goto(f"{base}/indicators/mine/")
    assert page.evaluate(OUTBOX, "count") == 0
    assert page.locator("#outbox").is_hidden(), waiting_panel(page)
    assert associates.updates.count() == 1
