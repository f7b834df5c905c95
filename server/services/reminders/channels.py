"""The three channels: WeCom and DingTalk group robots (a JSON webhook; DingTalk signed with
its secret) and e-mail over SMTP. Each send answers (ok, what the receiver said)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.parse
import urllib.request
from email.message import EmailMessage
from email.utils import make_msgid

from server.errors import Invalid

LOOPBACK = ("127.0.0.1", "localhost", "::1")
TIMEOUT = 10  # seconds: a robot that does not answer in 10 s is retried later
SMTP_SECURITY = ("starttls", "ssl", "none")


def check_url(url: str, field: str = "url") -> str:
    """A webhook must be https (plain http only to this machine, for a local receiver)."""
    parts = urllib.parse.urlsplit(url or "")
    ok = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
    if not ok or not parts.hostname:
        raise Invalid(
            "A webhook address must start with https:// (http:// only to this machine).",
            errors={"json": {field: ["not an https address"]}},
            code_name="webhook_not_https",
        )
    return url


def dingtalk_signed(url: str, secret: str, now_ms: int | None = None) -> str:
    """The robot URL with timestamp and sign: HMAC-SHA256 of "timestamp\\nsecret", base64."""
    stamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={stamp}&sign={sign}"


def _post_json(url: str, body: dict) -> tuple[bool, str]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (checked)
            text = response.read(4096).decode("utf-8", "replace")
    except OSError as exc:  # refused, timed out, HTTP errors (HTTPError is an OSError)
        return False, f"{type(exc).__name__}: {exc}"
    try:
        answer = json.loads(text)
    except ValueError:
        return False, f"not JSON: {text[:200]}"
    # Both robots answer 200 with errcode 0 on success and a code + message otherwise.
    return answer.get("errcode") == 0, text[:500]


def _markdown(title: str, text: str, link: str | None) -> str:
    body = "\n".join(f"> {line}" for line in text.splitlines())
    return f"**{title}**\n{body}" + (f"\n[打开页面]({link})" if link else "")


def send_wecom(channel, title: str, text: str, link: str | None) -> tuple[bool, str]:
    content = _markdown(title, text, link)
    return _post_json(channel.url, {"msgtype": "markdown", "markdown": {"content": content}})


def send_dingtalk(channel, title: str, text: str, link: str | None) -> tuple[bool, str]:
    url = dingtalk_signed(channel.url, channel.secret) if channel.secret else channel.url
    body = {
        "msgtype": "markdown",
        "markdown": {"title": title, "text": _markdown(title, text, link)},
    }
    return _post_json(url, body)


def tls_context(settings: dict) -> ssl.SSLContext:
    """The system's trusted CAs, verified (the default); or only the CA the admin gave
    (`ca_pem`, `ca_file`: an office mail server with its own CA); `verify: false` switches the
    check off and is never the default."""
    if settings.get("verify") is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return ssl.create_default_context(
        cafile=settings.get("ca_file") or None, cadata=settings.get("ca_pem") or None
    )


def send_email(channel, title: str, text: str, link: str | None, message_id: str | None = None):
    """One message to the channel's recipients; the Message-ID is stable per delivery, so a
    resend after a lost answer can be told apart by the mail system."""
    settings = channel.settings or {}
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = settings.get("sender")
    message["To"] = ", ".join(settings.get("recipients", []))
    message["Message-ID"] = message_id or make_msgid(domain="xunjian")
    message.set_content(text + (f"\n\n{link}" if link else ""), charset="utf-8")
    security = settings.get("security", "starttls")
    host, port = settings.get("host"), int(settings.get("port") or 587)
    try:  # tls_context inside: a bad CA is the receiver's problem logged, not a crash
        if security == "ssl":
            smtp = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=tls_context(settings))
        else:
            smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
        with smtp:
            if security == "starttls":
                smtp.starttls(context=tls_context(settings))
            if settings.get("username"):
                smtp.login(settings["username"], channel.secret or "")
            refused = smtp.send_message(message)
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        return False, f"{type(exc).__name__}: {exc}"
    if refused:
        return False, f"refused recipients: {sorted(refused)}"
    return True, "250 accepted"


SENDERS = {"wecom": send_wecom, "dingtalk": send_dingtalk, "email": send_email}
