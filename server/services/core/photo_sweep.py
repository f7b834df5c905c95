"""Sweep the photo store's stale temporaries: uploads cut by a crash (kill -9) leave `.tmp-*`.

A live upload writes its temporary file chunk by chunk, so its mtime stays fresh; a temporary
untouched for STALE_SECONDS belongs to a process that died. The sweep runs at app start and
then at most once every SWEEP_INTERVAL_SECONDS, from an upload.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

TMP_PREFIX = ".tmp-"
STALE_SECONDS = 3600
SWEEP_INTERVAL_SECONDS = 600

_lock = threading.Lock()
_last_sweep: dict[str, float] = {}  # store root -> monotonic time of its last sweep


def sweep(root: str | os.PathLike, older_than: float = STALE_SECONDS) -> int:
    """Delete `.tmp-*` files under root untouched for `older_than` seconds; how many went."""
    root = Path(root)
    if not root.is_dir():
        return 0
    cutoff = time.time() - older_than
    removed = 0
    for path in root.rglob(TMP_PREFIX + "*"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # finished or swept by another worker meanwhile
            continue
    return removed


def sweep_if_due(root: str | os.PathLike, interval: float = SWEEP_INTERVAL_SECONDS) -> int:
    """Sweep root unless this process swept it less than `interval` seconds ago."""
    return sweep(root) if due(root, interval) else 0


def due(key: str | os.PathLike, interval: float = SWEEP_INTERVAL_SECONDS) -> bool:
    """True (and the sweep counted as done now) unless `key` was swept within `interval` s;
    the object store's sweep of its temporary keys shares this clock."""
    key, now = str(key), time.monotonic()
    with _lock:
        last = _last_sweep.get(key)
        if last is not None and now - last < interval:
            return False
        _last_sweep[key] = now
    return True


def forget(root: str | os.PathLike) -> None:
    """Make the next sweep_if_due(root) run (app start, tests)."""
    with _lock:
        _last_sweep.pop(str(root), None)
