"""Browser-test steps shared by the PWA tests."""

import io
import time

from PIL import Image

from tests.chromium import TIMEOUT_MS
from tests.live_server import PASSWORD


def login_and_sync(page, server):
    """Open the app, sign in as the fake engineer, wait for the pack and an active service worker."""
    page.goto(server.url + "/")
    page.fill("#username", "eng")
    page.fill("#password", "pw")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=plan]")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def reload_controlled(page):
    """Reload so the (now active) service worker controls the page."""
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def wait_until_true(page, expression: str, seconds: float = TIMEOUT_MS / 1000):
    """Poll an async JavaScript expression until it is true (wait_for_function does not await
    promises); fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        page.wait_for_timeout(50)


def go_offline(page, context, server):
    """Sign in, sync, let the service worker take control, then cut the network and the API."""
    login_and_sync(page, server)
    reload_controlled(page)
    context.set_offline(True)
    server.state.api_down = True


def answer_checklist(
    page, first: str, reading: str, third: str, photo: dict, note: str | None = None
):
    """Answer the fake pack's three items: a button (pass/fail/na), a reading (with an optional
    note), a button with a photo ({"name", "mimeType", "buffer"}); wait for its thumbnail."""
    items = page.locator("[data-testid=item]")
    items.nth(0).locator(f"button.{first}").click()
    items.nth(1).locator("input[type=number]").fill(reading)
    if note is not None:
        items.nth(1).locator("input[aria-label$='备注']").fill(note)
    items.nth(2).locator(f"button.{third}").click()
    items.nth(2).locator("[data-testid=photo-input]").set_input_files(files=[photo])
    page.wait_for_selector("[data-testid=item][data-key='cabling.photo'] .xj-thumbs img")


def image_bytes(color=(200, 30, 30), size=(2400, 1800), fmt="JPEG") -> bytes:
    """A test picture; by default camera-sized JPEG (bigger than the 1600 px the app keeps)."""
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return buf.getvalue()


def sign_in(page, server, username="engineer", password=PASSWORD):
    """Open the app on the real server (tests/live_server.py), sign in, wait for the field pack and an active service worker."""
    page.goto(server.base_url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_function("() => location.pathname === '/'")
    page.wait_for_selector(
        "main select option:nth-child(2)", state="attached", timeout=20000
    )  # sites pulled
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def jpeg_bytes(color=(200, 30, 30), size=(2400, 1800)) -> bytes:
    """A camera-sized JPEG (kept for callers of the older name)."""
    return image_bytes(color, size)


def photo(name: str, data: bytes, mime: str = "image/jpeg") -> dict:
    """A file for set_input_files."""
    return {"name": name, "mimeType": mime, "buffer": data}
