"""The probe job: counts to `steps`, reporting progress, and leaves a line in `log` (a file)
naming the job and the process; `fail_times` makes the first attempts fail transiently.
Used by `xunjian worker --probe` and the queue tests to see a job run once, and retried."""

from __future__ import annotations

import os
import time


def run_job(job, report):
    params = job.params or {}
    if job.attempts <= int(params.get("fail_times", 0)):
        raise ConnectionError(f"probe: failing attempt {job.attempts} on purpose")
    steps = int(params.get("steps", 3))
    for done in range(1, steps + 1):
        time.sleep(float(params.get("sleep", 0)))
        report(done, steps)
    if log := params.get("log"):
        with open(log, "a") as fh:  # O_APPEND: lines from several processes never interleave
            fh.write(f"{job.id} {os.getpid()}\n")
    return None
