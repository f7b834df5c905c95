"""Process-wide set-up happens in create_app (server/hooks.py), never as a side effect of an import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from server.services import record_types
from server.services.sync.registry import PACK_SECTIONS, RECORD_TYPES

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
from sqlalchemy import event
from sqlalchemy.orm import Session
from server.services.core import audit
from server.services.field import records as field_records
from server.services.sync import engine as sync
from server.services.sync import pull as sync_pull
from server.services.coverage import targets as visit_targets
from server.services.sync.registry import PACK_SECTIONS, RECORD_TYPES

def installed():
    return [event.contains(Session, "before_flush", field_records._resolve_new_devices),
            event.contains(Session, "before_flush", audit._before_flush),
            event.contains(Session, "after_flush", visit_targets._mark_objects),
            bool(RECORD_TYPES), bool(PACK_SECTIONS)]

print(installed())
from server import create_app
from server.config import TestConfig
create_app(TestConfig)
print(installed())
"""


def test_importing_the_services_installs_nothing_create_app_installs_everything():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    before, after = done.stdout.splitlines()
    assert before == str([False] * 5)
    assert after == str([True] * 5)


def test_the_registries_hold_exactly_the_listed_types(app):
    assert list(RECORD_TYPES.values()) == record_types.RECORD_TYPES
    assert list(PACK_SECTIONS.values()) == record_types.PACK_SECTIONS
    names = list(RECORD_TYPES)
    assert names.index("visit") < names.index("inspection") < names.index("visit_finish")
