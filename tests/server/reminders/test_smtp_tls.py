"""E-mail over STARTTLS with SMTP AUTH against a real local aiosmtpd with a self-signed
certificate made here: the default check refuses an unknown certificate (logged, retried),
the CA given on the channel is trusted, the channel's password logs in, a wrong password
shows the server's 535 in the delivery log, and a CA that does not load is refused at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.errors import Invalid
from server.extensions import db
from server.models.reminders import ReminderDelivery
from server.services.reminders import admin, run
from tests.server.reminders.conftest import WORKDAY, add_channel
from tests.server.reminders.receivers import Mailbox, self_signed

USER, PASSWORD = "xunjian@example.cn", "smtp-pass-9"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return self_signed(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture
def tls_mailbox(certificate):
    with Mailbox(tls=certificate, login=(USER, PASSWORD)) as server:
        yield server


def _settings(box: Mailbox, **extra) -> dict:
    return {
        "host": "127.0.0.1",
        "port": box.port,
        "security": "starttls",
        "username": USER,
        "sender": USER,
        "recipients": ["duty@example.cn"],
        **extra,
    }


def _delivery() -> ReminderDelivery:
    return db.session.scalars(sa.select(ReminderDelivery)).one()


def test_an_unknown_certificate_is_refused_by_default_and_logged(fault, tls_mailbox):
    add_channel("email", settings=_settings(tls_mailbox), secret=PASSWORD)
    run.tick(WORKDAY + timedelta(minutes=6))
    delivery = _delivery()
    assert delivery.state == "queued" and "CERTIFICATE_VERIFY_FAILED" in delivery.last_error
    assert tls_mailbox.messages == [] and tls_mailbox.logins == []  # no password sent


def test_the_channels_ca_is_trusted_and_its_password_logs_in(fault, tls_mailbox, certificate):
    pem = certificate[0].read_text()
    add_channel("email", settings=_settings(tls_mailbox, ca_pem=pem), secret=PASSWORD)
    run.tick(WORKDAY + timedelta(minutes=6))
    assert _delivery().state == "sent"
    assert tls_mailbox.logins == [(USER, True)]
    [message] = tls_mailbox.messages
    assert "故障" in message["Subject"]


def test_a_ca_file_on_the_server_is_trusted_too(fault, tls_mailbox, certificate):
    settings = _settings(tls_mailbox, ca_file=str(certificate[0]))
    add_channel("email", settings=settings, secret=PASSWORD)
    run.tick(WORKDAY + timedelta(minutes=6))
    assert _delivery().state == "sent" and len(tls_mailbox.messages) == 1


def test_a_wrong_password_shows_the_servers_answer_in_the_log(fault, tls_mailbox, certificate):
    pem = certificate[0].read_text()
    add_channel("email", settings=_settings(tls_mailbox, ca_pem=pem), secret="not-the-password")
    run.tick(WORKDAY + timedelta(minutes=6))
    delivery = _delivery()
    assert delivery.state == "queued" and "535" in delivery.last_error
    assert tls_mailbox.logins and all(not ok for _, ok in tls_mailbox.logins)
    assert tls_mailbox.messages == []


def test_verify_false_is_possible_when_asked_for(fault, tls_mailbox):
    add_channel("email", settings=_settings(tls_mailbox, verify=False), secret=PASSWORD)
    run.tick(WORKDAY + timedelta(minutes=6))
    assert _delivery().state == "sent"


def test_a_ca_that_does_not_load_is_refused_when_saved(app, factory, tls_mailbox):
    boss = factory.user("admin")
    settings = _settings(tls_mailbox, ca_pem="-----BEGIN CERTIFICATE-----\nnot a cert\n")
    with pytest.raises(Invalid) as refused:
        admin.save_channel(None, boss, name="邮箱", kind="email", settings=settings)
    assert refused.value.code_name == "smtp_tls"
