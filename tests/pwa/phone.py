"""The field app on one browser page, as the tests drive it: sign in, open screens, wait for the
field pack, read the outbox and the phone's IndexedDB, and wait on events (never on time)."""

from __future__ import annotations

import re
import time

from tests.chromium import TIMEOUT_MS
from tests.live_server import PASSWORD

# The phone's IndexedDB, read the raw way: it works on any page of the origin, online or not,
# whichever screen (or none) has opened the app's own db.js.
# Opening without a version would CREATE an empty version-1 database if the app has not made
# one yet, and the app's upgrade would then skip its stores: abort that instead.
OPEN_EXISTING = """new Promise((ok) => {
    const r = indexedDB.open('xunjian');
    r.onupgradeneeded = () => r.transaction.abort();
    r.onsuccess = () => ok(r.result); r.onerror = () => ok(null);
  })"""
IDB_READ = (
    """async ([store, index]) => {
  const db = await """
    + OPEN_EXISTING
    + """;
  if (!db) return [];
  if (!db.objectStoreNames.contains(store)) { db.close(); return []; }
  const source = db.transaction(store).objectStore(store);
  const rows = await new Promise((ok, no) => {
    const r = (index ? source.index(index) : source).getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  db.close();
  return rows;
}"""
)
IDB_META = (
    """async ([key, value, write]) => {
  const db = await """
    + OPEN_EXISTING
    + """;
  if (!db) return null;
  if (!db.objectStoreNames.contains('meta')) { db.close(); return null; }
  const tx = db.transaction('meta', write ? 'readwrite' : 'readonly');
  const r = write ? tx.objectStore('meta').put(value, key) : tx.objectStore('meta').get(key);
  const out = await new Promise((ok, no) => { r.onsuccess = () => ok(r.result ?? null); r.onerror = () => no(r.error); });
  await new Promise((ok) => { tx.oncomplete = ok; });
  db.close();
  return write ? true : out;
}"""
)


class Phone:
    """One page of the field app on `base_url` (a live server's, or the fake's)."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url = page, base_url

    @classmethod
    def of(cls, context, server) -> Phone:
        """A new page of `context` on `server` (a LiveServer, or the FakeServer)."""
        return cls(context.new_page(), getattr(server, "base_url", None) or server.url)

    # --- screens ---------------------------------------------------------
    def open(self, path: str, ready: str | None = None) -> Phone:
        """Load `path` (a full navigation); wait for `ready` when given."""
        self.page.goto(self.base_url + path)
        if ready:
            self.page.wait_for_selector(ready)
        return self

    def route(self, path: str, ready: str | None = None) -> Phone:
        """Move the app's own router to `path` (no reload: what a tap on a link does)."""
        self.page.evaluate(
            "(p) => { history.pushState(null, '', p); dispatchEvent(new PopStateEvent('popstate')); }",
            path,
        )
        if ready:
            self.page.wait_for_selector(ready)
        return self

    def wait_path(self, path: str) -> None:
        self.page.wait_for_function("(p) => location.pathname === p", arg=path)

    # --- session ---------------------------------------------------------
    def sign_in(
        self, username: str = "engineer", password: str = PASSWORD, controlled: bool = False
    ) -> Phone:
        """Sign in on /login, wait for a fresh field pack and an active service worker; with
        `controlled`, reload so the service worker controls the page (needed to go offline)."""
        self.open("/login", "[data-testid=login-form]")
        self.log_in(username, password)
        self.page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        if controlled:
            self.reload_controlled()
        return self

    def log_in(
        self,
        username: str,
        password: str = PASSWORD,
        prefilled: str | None = None,
        lands: str = "/",
    ):
        """Fill the login screen already shown; wait for the path sign-in returns to (Today
        unless it interrupted another screen) and for the pull that follows."""
        self.page.wait_for_selector("[data-testid=login-form]")
        if prefilled is not None:
            assert self.page.input_value("#username") == prefilled
        before = self.meta("last_pull")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("button[type=submit]")
        # Leaving the page before the login answer arrives would cancel the login itself.
        self.wait_path(lands)
        self.wait_pack_loaded(since=before)

    def wait_pack_loaded(self, since: str | None = None) -> None:
        """Wait until a field pack pulled after `since` (meta last_pull) is in IndexedDB."""
        self.wait_until(lambda: self.meta("last_pull") not in (None, since), "a field pack pull")

    def reload_controlled(self) -> None:
        """Reload so the (now active) service worker controls the page."""
        self.page.reload()
        self.page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    def go_offline(self, context) -> None:
        """Let the service worker control the page, then cut the network."""
        self.reload_controlled()
        context.set_offline(True)

    def back_online(self, context) -> None:
        """Restore the network and wait until a fetch through the service worker reaches the
        server: Chromium lifts the offline emulation from the worker a moment after the page, and
        a boot that probes in that moment backs off for seconds (2, 4, 8 ... s)."""
        context.set_offline(False)
        self.page.wait_for_function(
            "() => fetch('/api/v1/health', {cache: 'no-store'}).then((r) => r.ok, () => false)",
            polling=250,
        )

    # --- IndexedDB -------------------------------------------------------
    def rows(self, store: str, index: str | None = None) -> list[dict]:
        return self.page.evaluate(IDB_READ, [store, index])

    def outbox(self) -> list[dict]:
        """The outbox records, oldest first."""
        return self.rows("outbox", "created_at")

    def meta(self, key: str):
        return self.page.evaluate(IDB_META, [key, None, False])

    def set_meta(self, key: str, value) -> None:
        self.page.evaluate(IDB_META, [key, value, True])

    def wait_outbox(self, states: list[str]) -> list[dict]:
        """Wait until the outbox states, oldest first, are `states`; the records."""
        return self.wait_until(
            lambda: (r := self.outbox()) and [x["state"] for x in r] == states and r,
            f"outbox states {states}",
        )

    def wait_outbox_states(self, states: dict[str, str]) -> dict[str, dict]:
        """Wait until the outbox holds exactly these {uuid: state}; the records by UUID."""

        def reached():
            records = {r["uuid"]: r for r in self.outbox()}
            return {u: r["state"] for u, r in records.items()} == states and records

        return self.wait_until(reached, f"outbox {states}")

    def wait_sent(self, n: int) -> None:
        """Open the outbox screen and wait until it lists `n` records as sent."""
        self.open("/outbox")
        self.page.wait_for_function(
            "(n) => document.querySelectorAll("
            "'[data-testid=outbox-record][data-state=sent]').length === n",
            arg=n,
        )

    def sync_now(self) -> None:
        """Tap 立即同步 on Today and wait until that sync has finished (meta last_sync moves)."""
        self.open("/", "[data-testid=outbox-counts]")
        before = self.meta("last_sync")
        self.page.get_by_role("button", name="立即同步").click()
        self.wait_until(lambda: self.meta("last_sync") not in (None, before), "a finished sync")

    # --- waits -----------------------------------------------------------
    def wait_until(self, probe, what: str, seconds: float = TIMEOUT_MS / 1000):
        """Poll `probe` (a callable, or an async JavaScript expression) until it is truthy and
        return its value (wait_for_function does not await promises); fail after `seconds`."""
        if isinstance(probe, str):
            expression = probe
            probe = lambda: self.page.evaluate(expression)  # noqa: E731
        deadline = time.monotonic() + seconds
        while not (value := probe()):
            assert time.monotonic() < deadline, f"no {what} within {seconds} s"
            self.page.wait_for_timeout(50)  # a polling interval, not a guess at how long
        return value

    # --- forms -----------------------------------------------------------
    def fill_checklist(self, jpeg: bytes, item_jpeg: bytes | None = None) -> None:
        """Answer every item of the template shown within range (`item_jpeg`, default `jpeg`,
        where a photo is required) and attach `jpeg` to the whole check; wait for a thumbnail."""
        page = self.page
        page.wait_for_selector("[data-testid=checklist]")
        items = page.locator("[data-testid=item]")
        assert items.count() > 0
        for i in range(items.count()):
            item = items.nth(i)
            if item.locator("button.pass").count():
                item.locator("button.pass").click()
            elif item.locator("input[type=number]").count():
                text = item.locator(".xj-muted").first.inner_text()
                numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)]
                middle = sum(numbers[:2]) / 2 if len(numbers) >= 2 else 1
                item.locator("input[type=number]").fill(str(middle))
            elif item.locator("textarea").count():
                item.locator("textarea").fill("正常")
            if "(" in item.locator(".xj-label").inner_text():  # photo required
                item.locator("[data-testid=photo-input]").set_input_files(
                    files=[photo("item.jpg", item_jpeg or jpeg)]
                )
        page.locator("[data-testid=photo-input]").last.set_input_files(
            files=[photo("rack.jpg", jpeg)]
        )
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=checklist] .xj-thumbs img').length > 0"
        )

    def save_check(self, tag: str, jpeg: bytes, item_jpeg: bytes | None = None) -> None:
        """Open the checklist of `tag`, fill it, save; wait until the app has left the form."""
        self.open(f"/d/{tag}/check")
        self.fill_checklist(jpeg, item_jpeg)
        self.page.click("[data-testid=save-check]")
        self.page.wait_for_selector("[data-testid=device], [data-testid=visit]")

    def report_fault(self, tag: str, text: str) -> str:
        """Report a fault on the phone; its UUID."""
        self.open(f"/d/{tag}/fault")
        form = self.page.locator("[data-testid=fault-form]")
        uuid = form.get_attribute("data-uuid")
        self.page.fill("#fault-description", text)
        self.page.click("[data-testid=fault-form] button[type=submit]")
        self.page.wait_for_selector("[data-testid=fault]")
        return uuid


def photo(name: str, data: bytes, mime: str = "image/jpeg") -> dict:
    """A file for set_input_files."""
    return {"name": name, "mimeType": mime, "buffer": data}
