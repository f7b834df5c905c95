"""Run the front-end core's tests (tests/pwa/core.test.mjs) under node, with the server's enums."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from server.models import (
    backups,
    checklists,
    devices,
    faults,
    field,
    jobs,
    labels,
    meetings,
    places,
    plans,
    reminders,
    spares,
    sync,
)
from server.security import ROLES
from server.services.assessment.meeting_points import CHECK_TIMINGS
from server.services.presence import flags as presence_flags
from server.services.reports import registry as report_registry

HERE = Path(__file__).resolve().parent
# Each enum the server sends, under the core's domain name (pwa/static/core/dict/enums.js).
ENUMS = {
    "device_status": devices.DEVICE_STATUSES,
    "device_kind": devices.DEVICE_KINDS,
    "severity": faults.FAULT_SEVERITIES,
    "fault_state": faults.FAULT_STEPS,
    "swap_state": faults.SWAP_STATES,
    "rma_outcome": spares.RMA_OUTCOMES,
    "rma_disposition": spares.RMA_DISPOSITIONS,
    "role": ROLES,
    "inspection_kind": checklists.INSPECTION_KINDS,
    "entry_state": plans.ENTRY_STATES,
    "print_kind": labels.PRINT_KINDS,
    "print_status": labels.PRINT_STATUSES,
    "print_output": labels.PRINT_FORMATS,
    "site_tier": places.SITE_TIERS,
    "room_kind": places.ROOM_KINDS,
    "plan_status": plans.PLAN_STATUSES,
    "job_status": jobs.JOB_STATUSES,
    "backup_state": backups.BACKUP_STATES,
    "conflict_state": sync.CONFLICT_STATES,
    "sync_answer": sync.SYNC_ANSWERS,
    "fault_source": faults.FAULT_SOURCES,
    "fault_step": faults.FAULT_STEPS + faults.ASSIGNMENT_STEPS + faults.ESCALATION_STEPS,
    "fault_tier": faults.FAULT_TIERS,
    "meeting_kind": meetings.MEETING_KINDS,
    "meeting_platform": meetings.MEETING_PLATFORMS,
    "meeting_state": meetings.MEETING_STATES,
    "report_kind": tuple(report_registry.KINDS),
    "channel_kind": reminders.CHANNEL_KINDS,
    "delivery_state": reminders.DELIVERY_STATES,
    "check_timing": CHECK_TIMINGS,
    "tag_source": (*field.TAG_SOURCES, "unknown"),  # unknown: null, an older phone
    "presence_flag": presence_flags.FLAGS,
}


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_front_end_core_in_node():
    env = {**os.environ, "XJ_ENUMS": json.dumps({k: list(v) for k, v in ENUMS.items()})}
    run = subprocess.run(
        ["node", "--test", str(HERE / "core.test.mjs")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr
