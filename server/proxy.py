"""X-Forwarded-For believed only from the reverse proxy in front (docs/deploy.md).

PROXY_FIX_X_FOR says how many proxies append to the header; FORWARDED_ALLOW_IPS (the same
variable gunicorn reads for X-Forwarded-Proto) says which peers those proxies are. A request
from any other peer keeps its TCP address, whatever header it sent.
"""

from __future__ import annotations

import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix


def _networks(text: str) -> list | None:
    """The allowed peers as networks; None means every peer ("*")."""
    items = [item.strip() for item in text.split(",") if item.strip()]
    if "*" in items:
        return None
    try:
        return [ipaddress.ip_network(item, strict=False) for item in items]
    except ValueError as error:
        raise ValueError(f"FORWARDED_ALLOW_IPS {text!r}: {error}") from None


class TrustedProxyFix:
    """ProxyFix for requests from the allowed peers; the plain app for everyone else."""

    def __init__(self, app, x_for: int, allow_ips: str):
        self.app, self.fixed = app, ProxyFix(app, x_for=x_for)
        self.networks = _networks(allow_ips)

    def _trusted(self, peer: str) -> bool:
        if self.networks is None:
            return True
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:  # a unix socket has no address: only a local proxy can use it
            return True
        return any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        if self._trusted(environ.get("REMOTE_ADDR", "")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)
