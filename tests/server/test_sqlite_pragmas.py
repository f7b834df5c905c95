"""SQLite file connections get the page cache, memory map and checkpoint interval of
server/sqlite_pragmas.py (docs/coverage.md, "Fifth round"), overridable by environment."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server import sqlite_pragmas
from server.config import engine_options


def _pragmas(url: str) -> dict:
    sqlite_pragmas.install()
    engine = sa.create_engine(url, **engine_options(url))
    try:
        with engine.connect() as conn:
            return {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "cache_size", "mmap_size", "wal_autocheckpoint")
            }
    finally:
        engine.dispose()


def test_file_connections_get_the_sizes(tmp_path, monkeypatch):
    for name in ("SQLITE_CACHE_MIB", "SQLITE_MMAP_MIB", "SQLITE_WAL_AUTOCHECKPOINT"):
        monkeypatch.delenv(name, raising=False)
    pragmas = _pragmas(f"sqlite:///{tmp_path / 'x.db'}")
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["cache_size"] == -sqlite_pragmas.CACHE_MIB * 1024
    assert pragmas["mmap_size"] == sqlite_pragmas.MMAP_MIB * 2**20
    assert pragmas["wal_autocheckpoint"] == sqlite_pragmas.WAL_AUTOCHECKPOINT


def test_the_environment_sets_them(tmp_path, monkeypatch):
    monkeypatch.setenv("SQLITE_CACHE_MIB", "2")
    monkeypatch.setenv("SQLITE_MMAP_MIB", "0")
    monkeypatch.setenv("SQLITE_WAL_AUTOCHECKPOINT", "1000")
    pragmas = _pragmas(f"sqlite:///{tmp_path / 'x.db'}")
    assert (pragmas["cache_size"], pragmas["mmap_size"], pragmas["wal_autocheckpoint"]) == (
        -2048,
        0,
        1000,
    )


def test_a_bad_setting_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("SQLITE_CACHE_MIB", "lots")
    with pytest.raises(ValueError, match="SQLITE_CACHE_MIB"):
        _pragmas(f"sqlite:///{tmp_path / 'x.db'}")


def test_file_pools_hand_out_the_last_used_connection_first():
    assert engine_options("sqlite:////var/x.db")["pool_use_lifo"] is True
    assert "pool_use_lifo" not in engine_options("sqlite://")  # one in-memory connection
    assert "pool_use_lifo" not in engine_options("sqlite:///:memory:")
