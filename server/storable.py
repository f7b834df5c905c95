"""Text no database can store, defined once: NUL characters (PostgreSQL text cannot hold U+0000)
and lone UTF-16 surrogates (no driver can encode one; a JS client cutting an emoji in half sends
"\\ud83d"). Used at the edge (server/input_guard.py) and record by record in a sync push
(services/sync/limits.py, makers.py), where one bad record is refused alone."""

from __future__ import annotations

import re

UNSTORABLE_RE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> bool:
    """True when a database can hold the text (the common ASCII case costs one scan)."""
    if "\x00" in text:
        return False
    return text.isascii() or UNSTORABLE_RE.search(text) is None


def text_problem(text: str) -> str | None:
    """Why this text cannot be stored (what, where, how to fix), or None."""
    match = UNSTORABLE_RE.search(text)
    if match is None:
        return None
    if match.group() == "\x00":
        return (
            f"contains a NUL character (U+0000) at position {match.start()}, "
            "which cannot be stored; remove it."
        )
    return (
        f"contains an unpaired UTF-16 surrogate (U+{ord(match.group()):04X}) at position "
        f"{match.start()}, which is not valid Unicode; send whole characters."
    )
