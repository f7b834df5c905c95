"""Browser-test steps shared by the PWA tests."""
import io

from PIL import Image

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
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def jpeg_bytes(color=(200, 30, 30), size=(2400, 1800)) -> bytes:
    """A camera-sized test picture (bigger than the 1600 px the app keeps)."""
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def sign_in(page, server, username="engineer", password=PASSWORD):
    """Open the app on the real server (tests/live_server.py), sign in, wait for the field pack and an active service worker."""
    page.goto(server.base_url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_function("location.pathname === '/'")
    page.wait_for_selector("main select option:nth-child(2)", state="attached", timeout=20000)  # sites pulled
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
