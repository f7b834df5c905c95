"""The address labels and links point at: LABEL_URL_BASE, else the address this request came to."""

import ipaddress
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

# Outside a request (a worker's reminder links) with LABEL_URL_BASE unset: the development address.
FALLBACK = "http://127.0.0.1:5000"


def public_base() -> str:
    """LABEL_URL_BASE when set; else the scheme, host and port this request was served on, so
    `PORT=5151 make run` prints labels for port 5151."""
    configured = current_app.config.get("LABEL_URL_BASE")
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    return FALLBACK


def is_loopback(base: str) -> bool:
    """True when `base` names this machine only (127.x, ::1, localhost): no phone reaches it."""
    host = urlsplit(base).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
