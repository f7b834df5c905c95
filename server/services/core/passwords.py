"""The password rule, one for every way a password is set (create user by API or CLI, an
admin's reset, a user's own change): long enough, not the username, not a common password."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from server.errors import Invalid

MIN_LENGTH = 10
MAX_LENGTH = 256
MIN_DISTINCT = 4  # "aaaaaaaaaa", "1212121212": long but guessed at once
COMMON_LIST = Path(__file__).resolve().parents[2] / "seed_data" / "common-passwords.txt"
_TRAILING_DIGITS_AND_SYMBOLS = re.compile(r"[\W\d_]+$")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of the commonest passwords (lower-case; its header names the source)."""
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def problems(password: str, username: str | None = None) -> list[str]:
    """What is wrong with the password, one message per problem (empty: acceptable)."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(f"use at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        found.append(f"use at most {MAX_LENGTH} characters")
    lowered = password.strip().lower()
    name = (username or "").strip().lower()
    # Short names ("li", "wei") inside a long password are as likely chance as laziness.
    if name and (lowered == name or (len(name) >= 4 and name in lowered)):
        found.append("must not be or contain the username")
    core = _TRAILING_DIGITS_AND_SYMBOLS.sub("", lowered)
    if lowered in common_passwords() or (len(core) >= 4 and core in common_passwords()):
        found.append(
            "is one of the commonest passwords (or one with digits added); "
            "choose a phrase of several words"
        )
    elif len(set(lowered)) < MIN_DISTINCT:
        found.append(f"use at least {MIN_DISTINCT} different characters")
    return found


def require_acceptable(password: str, username: str | None, field: str = "password") -> None:
    """Raise 422 naming the field and every problem, so one answer says all that must change."""
    if found := problems(password, username):
        raise Invalid(
            f"Choose another password: {'; '.join(found)}.",
            errors={"json": {field: found}},
            code_name="weak_password",
        )
