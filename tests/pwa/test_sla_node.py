"""The phone's clocks (pwa/static/js/sla.js) agree with the server's (server/services/sla.py) on sample faults."""
import json
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from server.services import sla

HERE = Path(__file__).resolve().parent
T0 = datetime(2026, 3, 6, 15, 50, tzinfo=timezone.utc)
M = timedelta(minutes=1)
CASES = [  # (times, minutes after the report when looked at)
    (sla.FaultTimes(T0), 3),
    (sla.FaultTimes(T0), 7),
    (sla.FaultTimes(T0), 45),
    (sla.FaultTimes(T0, urgent_meeting=True, responded_at=T0 + 8 * M), 95),
    (sla.FaultTimes(T0, urgent_meeting=True, responded_at=T0 + 25 * M, diagnosing_at=T0 + 30 * M), 130),
    (sla.FaultTimes(T0, responded_at=T0 + 70 * M, diagnosing_at=T0 + 80 * M, spare_installed_at=T0 + 200 * M), 300),
    (sla.FaultTimes(T0, responded_at=T0 + 5 * M, diagnosing_at=T0 + 6 * M, resolved_at=T0 + 60 * M), 600),
    (sla.FaultTimes(T0, responded_at=T0 + 200 * M, diagnosing_at=T0 + 210 * M), 60 * 30),
]
FIELDS = ("state", "remaining_seconds", "breached", "about_to_breach", "deduction")


def iso(value):
    return value.isoformat() if value else None


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_phone_clocks_match_the_server():
    inputs, expected = [], []
    for times, minutes in CASES:
        now = times.reported_at + minutes * M
        inputs.append({"fault": {"reported_at": iso(times.reported_at), "urgent_meeting": times.urgent_meeting,
                                 "responded_at": iso(times.responded_at), "diagnosing_at": iso(times.diagnosing_at),
                                 "spare_installed_at": iso(times.spare_installed_at),
                                 "resolved_at": iso(times.resolved_at)},
                       "now": iso(now)})
        server = sla.clocks(times, now)
        expected.append({name: {f: getattr(c, f) for f in FIELDS} for name, c in server.items()})
    script = ("import('" + (HERE.parents[1] / "pwa/static/js/sla.js").as_uri() + "').then(m => {"
              "const cases = JSON.parse(process.argv[1]);"
              "console.log(JSON.stringify(cases.map(c => m.clocks(c.fault, new Date(c.now).getTime()))));})")
    run = subprocess.run(["node", "-e", script, json.dumps(inputs)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    phone = [{name: {f: c[f] for f in FIELDS} for name, c in case.items()} for case in json.loads(run.stdout)]
    assert phone == expected
    assert {c["spare"]["state"] for c in expected} >= {"running", "breached", "not_needed", "met"}
