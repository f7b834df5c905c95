"""SQLite connection settings: write-ahead log, full fsync, a busy timeout, and a page cache,
memory map and checkpoint interval sized for a database of years of inspections.

WAL lets readers work while a push writes, and makes each commit one fsync of the log
instead of several of a rollback journal (about 10x faster commits on this hardware),
which matters because every push batch is its own durable transaction.
synchronous=FULL keeps a commit durable across power loss: the server acknowledges
records to phones that then delete them, so an acknowledged record must survive.

Why the sizes (docs/coverage.md, "Fifth round"): a push inserts into a dozen indexes, several
keyed by random UUIDs and device ids, so on a database of years (800 MB for the national
history) each insert reads index pages from all over the file. SQLite's default 2 MB page
cache does not even hold those indexes' interior pages, so every push re-read megabytes
from the file (64 MiB holds them); the memory map serves the remaining reads, and a cache
dropped after another connection's commit, without a copy per page. The default checkpoint
every 1,000 WAL pages ran every third batch of 50 on such a file and wrote pages all over it
inside that push's commit; every 10,000 pages (a 40 MB log) it runs a tenth as often and
writes a page once however many pushes changed it since. Each can be set by environment
(SQLITE_CACHE_MIB, SQLITE_MMAP_MIB, SQLITE_WAL_AUTOCHECKPOINT), e.g. smaller on a small box.
"""

from __future__ import annotations

import os

from sqlalchemy import event
from sqlalchemy.engine import Engine

CACHE_MIB = 64  # per connection, allocated as pages are used
MMAP_MIB = 2047  # SQLite's compile-time ceiling (SQLITE_MAX_MMAP_SIZE) is just under 2 GiB
WAL_AUTOCHECKPOINT = 10_000  # pages


def _setting(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    try:
        return int(text) if text else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {text!r}") from None


def _on_connect(dbapi_connection, connection_record) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    try:
        database = cursor.execute("PRAGMA database_list").fetchone()
        if database and database[2]:  # a file, not :memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cache_kib = _setting("SQLITE_CACHE_MIB", CACHE_MIB) * 1024
            cursor.execute(f"PRAGMA cache_size=-{cache_kib}")  # negative: KiB, not pages
            mmap_bytes = _setting("SQLITE_MMAP_MIB", MMAP_MIB) * 2**20
            cursor.execute(f"PRAGMA mmap_size={mmap_bytes}")
            pages = _setting("SQLITE_WAL_AUTOCHECKPOINT", WAL_AUTOCHECKPOINT)
            cursor.execute(f"PRAGMA wal_autocheckpoint={pages}")
        cursor.execute("PRAGMA busy_timeout=15000")
    finally:
        cursor.close()


def install() -> None:
    """Apply the settings to every SQLite connection (idempotent)."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
