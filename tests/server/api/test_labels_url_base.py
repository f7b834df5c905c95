"""Label QR codes point at the address being served when LABEL_URL_BASE is unset; a loopback base is flagged."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from server.services.core.public_url import is_loopback
from tests.conftest import PASSWORD

PRINT = "/api/v1/labels/print"


@pytest.fixture
def unset_base(app):
    saved = app.config["LABEL_URL_BASE"]
    app.config["LABEL_URL_BASE"] = ""
    yield
    app.config["LABEL_URL_BASE"] = saved


def scanned(png: bytes) -> list[str]:
    """The QR texts, upper-cased: labels encode URLs in QR's (upper-case) alphanumeric mode."""
    image = Image.open(io.BytesIO(png))
    return [
        r.text.upper() for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    ]


def print_png(app, factory, tag: str, host: str):
    """A supervisor signed in on `host` (cookies follow the host) prints one label as PNG."""
    user, client, base = factory.user("supervisor"), app.test_client(), f"http://{host}"
    login = {"username": user.username, "password": PASSWORD}
    csrf = client.post("/api/v1/auth/login", json=login, base_url=base).get_json()["csrf_token"]
    return client.post(
        PRINT,
        json={"template": "roll-40x30", "tags": [tag], "format": "png"},
        headers={"X-CSRF-Token": csrf},
        base_url=base,
    )


def test_unset_base_follows_the_served_port_and_warns_on_loopback(
    app, factory, reference_data, unset_base
):
    device = factory.device()
    response = print_png(app, factory, device.tag, "127.0.0.1:5151")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert scanned(response.data) == [f"http://127.0.0.1:5151/d/{device.tag}".upper()]
    assert response.headers["X-Label-Url-Base"] == "http://127.0.0.1:5151"
    assert response.headers["X-Label-Url-Loopback"] == "1"


def test_unset_base_served_on_the_lan_has_no_warning(app, factory, reference_data, unset_base):
    device = factory.device()
    response = print_png(app, factory, device.tag, "192.168.1.20:5000")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert scanned(response.data) == [f"http://192.168.1.20:5000/d/{device.tag}".upper()]
    assert "X-Label-Url-Loopback" not in response.headers


def test_configured_base_wins_over_the_request_host(app, factory, reference_data):
    assert app.config["LABEL_URL_BASE"] == "https://xj.example.cn"
    device = factory.device()
    response = print_png(app, factory, device.tag, "127.0.0.1:5151")
    assert scanned(response.data) == [f"https://xj.example.cn/d/{device.tag}".upper()]
    assert "X-Label-Url-Loopback" not in response.headers


@pytest.mark.parametrize(
    ("base", "loopback"),
    [
        ("http://127.0.0.1:5000", True),
        ("http://127.8.0.1", True),
        ("http://localhost:5151", True),
        ("http://[::1]:5000", True),
        ("https://xj.example.cn", False),
        ("http://192.168.1.20:5000", False),
        ("http://[2001:db8::1]", False),
    ],
)
def test_loopback_addresses(base, loopback):
    assert is_loopback(base) is loopback
