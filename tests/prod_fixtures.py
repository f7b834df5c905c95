"""Fixtures of the production shape (tests/prod_stack.py): the stack for the session, its two
app servers on a fresh database per test, and a `live_server` parametrised over one plain
server and the stack, with the Chromium flags that trust the stack's certificate."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.live_server import serving
from tests.prod_stack import ProdStack, StackServer


def chromium_args(server) -> list[str]:
    """Chromium's flags to trust the stack's certificate as if a CA had signed it (the service
    worker and the camera need a trusted HTTPS origin); none for a plain live server."""
    if not isinstance(server, StackServer):
        return []
    cert = server.stack.tmp_dir / "certs" / "cert.pem"
    spki = subprocess.run(
        f"openssl x509 -in {cert} -pubkey -noout | openssl pkey -pubin -outform der"
        " | openssl dgst -sha256 -binary | base64",
        shell=True,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return [f"--ignore-certificate-errors-spki-list={spki}"]


def direct_or_nginx(request, tmp_path, live_database_template):
    """The body of a `live_server` fixture parametrised ["direct", nginx (marked prod)]."""
    if request.param == "nginx":
        yield request.getfixturevalue("prod_server")
        return
    url, drop = live_database_template.copy(tmp_path)
    with serving(tmp_path, url, drop) as server:
        yield server


BOTH = ["direct", pytest.param("nginx", marks=pytest.mark.prod)]


@pytest.fixture(scope="session")
def prod_stack(tmp_path_factory):
    """nginx, Redis and a certificate for the session; only on PostgreSQL (production's)."""
    if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        pytest.skip("the production shape runs on PostgreSQL: set TEST_DATABASE_URL")
    with ProdStack(tmp_path_factory.mktemp("prod-stack")) as stack:
        yield stack


@pytest.fixture
def prod_server(prod_stack, tmp_path, live_database_template):
    """Two app servers and the worker on a fresh copy of the live template, behind nginx."""
    url, drop = live_database_template.copy(tmp_path)
    with prod_stack.serving(url, drop) as server:
        yield server
