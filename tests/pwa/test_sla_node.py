"""The phone's clocks (pwa/static/js/sla.js) agree with the server's (server/services/faults/sla.py) on sample faults."""

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server.services.faults import sla

HERE = Path(__file__).resolve().parent
T0 = datetime(2026, 3, 6, 15, 50, tzinfo=UTC)
M = timedelta(minutes=1)
CASES = [  # (times, minutes after the report when looked at)
    (sla.FaultTimes(T0), 3),
    (sla.FaultTimes(T0), 7),
    (sla.FaultTimes(T0), 45),
    (sla.FaultTimes(T0, urgent_meeting=True, responded_at=T0 + 8 * M), 95),
    (
        sla.FaultTimes(
            T0, urgent_meeting=True, responded_at=T0 + 25 * M, diagnosing_at=T0 + 30 * M
        ),
        130,
    ),
    (
        sla.FaultTimes(
            T0, responded_at=T0 + 70 * M, diagnosing_at=T0 + 80 * M, spare_installed_at=T0 + 200 * M
        ),
        300,
    ),
    (
        sla.FaultTimes(
            T0, responded_at=T0 + 5 * M, diagnosing_at=T0 + 6 * M, resolved_at=T0 + 60 * M
        ),
        600,
    ),
    (sla.FaultTimes(T0, responded_at=T0 + 200 * M, diagnosing_at=T0 + 210 * M), 60 * 30),
]
FIELDS = ("state", "remaining_seconds", "breached", "about_to_breach", "deduction")


def iso(value):
    return value.isoformat() if value else None


def phone_clocks(inputs, rules):
    """sla.js's clocks for each case, under rules (the pack's constants.sla)."""
    script = (
        "import('" + (HERE.parents[1] / "pwa/static/js/sla.js").as_uri() + "').then(m => {"
        "const cases = JSON.parse(process.argv[1]); const rules = JSON.parse(process.argv[2]);"
        "console.log(JSON.stringify(cases.map(c => m.clocks(c.fault, new Date(c.now).getTime(), rules))));})"
    )
    run = subprocess.run(
        ["node", "-e", script, json.dumps(inputs), json.dumps(rules)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return [
        {name: {f: c[f] for f in FIELDS} for name, c in case.items()}
        for case in json.loads(run.stdout)
    ]


def cases():
    inputs, expected = [], []
    for times, minutes in CASES:
        now = times.reported_at + minutes * M
        inputs.append(
            {
                "fault": {
                    "reported_at": iso(times.reported_at),
                    "urgent_meeting": times.urgent_meeting,
                    "responded_at": iso(times.responded_at),
                    "diagnosing_at": iso(times.diagnosing_at),
                    "spare_installed_at": iso(times.spare_installed_at),
                    "resolved_at": iso(times.resolved_at),
                },
                "now": iso(now),
            }
        )
        server = sla.clocks(times, now)
        expected.append({name: {f: getattr(c, f) for f in FIELDS} for name, c in server.items()})
    return inputs, expected


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_phone_clocks_match_the_server():
    inputs, expected = cases()
    assert phone_clocks(inputs, sla.pack_constants()) == expected
    assert {c["spare"]["state"] for c in expected} >= {"running", "breached", "not_needed", "met"}


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_phone_clocks_follow_the_rules_the_pack_carries(monkeypatch):
    """Change every rule on the server: the phone follows through the pack, with no copy to edit."""
    monkeypatch.setattr(sla, "RESPONSE_TARGET", timedelta(minutes=20))
    monkeypatch.setattr(
        sla, "RESPONSE_BANDS", ((timedelta(minutes=20), 0), (timedelta(minutes=50), -2), (None, -7))
    )
    monkeypatch.setattr(sla, "WORK_LIMIT", timedelta(hours=5))
    monkeypatch.setattr(sla, "SPARE_LIMIT", timedelta(hours=12))
    monkeypatch.setattr(sla, "SPARE_LIMIT_URGENT", timedelta(hours=1))
    monkeypatch.setattr(sla, "HANDLING_LIMIT", timedelta(hours=6))
    monkeypatch.setattr(
        sla, "WARNING_WINDOWS", {name: timedelta(minutes=15) for name in sla.CLOCK_NAMES}
    )
    inputs, expected = cases()
    assert phone_clocks(inputs, sla.pack_constants()) == expected


def test_sla_js_holds_no_rule_of_its_own():
    text = (HERE.parents[1] / "pwa/static/js/sla.js").read_text(encoding="utf-8")
    assert not re.search(r"\b\d+\s*\*\s*(MIN|HOUR)\b|_LIMIT\s*=|WARNING_WINDOWS\s*=", text)
