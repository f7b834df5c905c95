"""What every log line of a request or a job carries: the request id and the job id
(contextvars, so threads and requests never see each other's)."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

REQUEST_ID: ContextVar[str | None] = ContextVar("xunjian_request_id", default=None)
JOB_ID: ContextVar[int | None] = ContextVar("xunjian_job_id", default=None)
HEADER = "X-Request-Id"
# What a proxy in front (nginx's $request_id: 32 hex digits) or a client may send: a short token
# that cannot break a log line or a header. Anything else is replaced, never echoed.
SANE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


def new_id() -> str:
    return uuid.uuid4().hex


def accept(incoming: str | None) -> str:
    """The incoming X-Request-Id if it is a sane token, else a fresh one."""
    return incoming if incoming and SANE.match(incoming) else new_id()


def request_id() -> str | None:
    """The id of the request being served (None outside a request)."""
    return REQUEST_ID.get()
