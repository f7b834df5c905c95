"""The phone's fault-step merge (pwa/static/js/fault-steps.js) agrees with the server's
(server/services/faults/lifecycle.py _set_step_time) on the same steps, in any order."""

import json
import random
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from server.models.faults import FAULT_STEPS
from server.services.faults import lifecycle as faults

HERE = Path(__file__).resolve().parent
T0 = datetime(2026, 3, 6, 15, 50, tzinfo=UTC)
STEPS = [s for s in FAULT_STEPS if s != "reported"]


def iso(value):
    return value.isoformat().replace("+00:00", "Z") if value else None


def server_merge(steps):
    """The server's merge on a bare fault (the function reads and sets only the step times and state)."""
    fault = SimpleNamespace(state="reported", reported_at=T0, **{f"{s}_at": None for s in STEPS})
    fault.step_time = lambda step: getattr(fault, f"{step}_at")
    for step, at in steps:
        faults._set_step_time(fault, step, at)
    return {"state": fault.state, **{f"{s}_at": iso(fault.step_time(s)) for s in STEPS}}


def phone_merge(cases):
    script = (
        "import('" + (HERE.parents[1] / "pwa/static/js/fault-steps.js").as_uri() + "').then(m => {"
        "const cases = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(cases.map(c => m.withSteps(c.fault, c.steps))));})"
    )
    run = subprocess.run(
        ["node", "-e", script, json.dumps(cases)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def random_cases(n=300, seed=13):
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        steps = [
            (rng.choice(STEPS), T0 + timedelta(minutes=rng.randint(0, 600)))
            for _ in range(rng.randint(0, 6))
        ]
        cases.append(steps)
    # the cases the rules are about: out of order, repeated, a later step first
    cases += [
        [("resolved", T0 + timedelta(minutes=50)), ("responded", T0 + timedelta(minutes=5))],
        [("diagnosing", T0 + timedelta(minutes=30)), ("diagnosing", T0 + timedelta(minutes=10))],
        [("closed", T0 + timedelta(minutes=90))],
        [
            ("spare_installed", T0 + timedelta(minutes=40)),
            ("responded", T0 + timedelta(minutes=60)),
        ],
    ]
    return cases


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_phone_merges_steps_like_the_server():
    cases = random_cases()
    inputs = [
        {
            "fault": {"state": "reported", "reported_at": iso(T0)},
            "steps": [{"data": {"step": step, "at": iso(at)}} for step, at in steps],
        }
        for steps in cases
    ]
    phone = phone_merge(inputs)
    for steps, merged in zip(cases, phone):
        expected = server_merge(steps)
        got = {"state": merged["state"], **{f"{s}_at": merged.get(f"{s}_at") for s in STEPS}}
        # same instants (the phone keeps the ISO text it was given)
        got = {
            k: (
                iso(datetime.fromisoformat(v.replace("Z", "+00:00")))
                if k.endswith("_at") and v
                else v
            )
            for k, v in got.items()
        }
        assert got == expected, steps
    assert {m["state"] for m in phone} >= {
        "reported",
        "responded",
        "diagnosing",
        "spare_installed",
        "resolved",
        "closed",
    }
