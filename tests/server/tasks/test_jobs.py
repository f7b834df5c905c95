"""Jobs on the in-memory queue: run, progress, run once, retries, failures, the job API."""

from __future__ import annotations

import pytest

from server.extensions import db
from server.models import Job
from server.services import jobs
from server.tasks import registry, runner
from tests.server.tasks.helpers import run_pending

PROBE = next(kind for kind in registry.JOB_KINDS if kind.name == "probe")


def _probe(**params) -> Job:
    job, created = jobs.start("probe", params)
    assert created
    db.session.commit()  # the task is enqueued on commit
    return job


def test_a_job_is_enqueued_on_commit_and_runs_with_progress(app):
    job = _probe(steps=4)
    assert app.extensions["huey"].pending_count() == 1
    assert run_pending(app) == 1
    db.session.expire_all()
    assert (job.status, job.progress_done, job.progress_total, job.attempts) == ("done", 4, 4, 1)
    assert job.finished_at is not None and job.active_key is None


def test_a_rolled_back_job_is_never_enqueued(app):
    jobs.start("probe", {})
    db.session.rollback()
    assert app.extensions["huey"].pending_count() == 0


def test_a_job_delivered_twice_runs_once(app, tmp_path):
    log = tmp_path / "runs.log"
    job = _probe(log=str(log))
    app.extensions["huey_tasks"]["probe"](job.id)  # a second delivery of the same job
    assert run_pending(app) == 2
    assert log.read_text().split()[0] == str(job.id)
    assert len(log.read_text().splitlines()) == 1


def test_a_transient_failure_is_retried(app):
    job = _probe(fail_times=1)
    with pytest.raises(ConnectionError):
        runner.run_job(PROBE, job.id, retries_left=1)
    db.session.expire_all()
    assert (job.status, job.error_code) == ("queued", "retrying")
    runner.run_job(PROBE, job.id, retries_left=0)
    db.session.expire_all()
    assert (job.status, job.attempts, job.error_code) == ("done", 2, None)


def test_a_transient_failure_without_retries_left_fails_the_job(app):
    job = _probe(fail_times=5)
    runner.run_job(PROBE, job.id, retries_left=0)
    db.session.expire_all()
    assert (job.status, job.error_code) == ("failed", "transient_failure")
    assert "failing attempt 1" in job.error_message


def test_only_one_job_per_key_is_active(app):
    first, created = jobs.start("probe", {}, key="probe-key")
    second, created_again = jobs.start("probe", {}, key="probe-key")
    assert created and not created_again and second.id == first.id
    db.session.commit()
    run_pending(app)
    third, created = jobs.start("probe", {}, key="probe-key")
    assert created and third.id != first.id


def test_stale_running_jobs_are_failed(app):
    from datetime import timedelta

    from server.models import utcnow

    job = _probe()
    assert jobs.claim(job.id)
    jobs._update(job.id, updated_at=utcnow() - timedelta(hours=2))
    assert jobs.reap_stale() == 1
    db.session.expire_all()
    assert (job.status, job.error_code, job.active_key) == ("failed", "worker_lost", None)


def test_periodic_slots_run_once(app):
    huey = app.extensions["huey"]
    assert runner.claim_slot(huey, "t", "202601010000")
    assert not runner.claim_slot(huey, "t", "202601010000")
    assert runner.claim_slot(huey, "t", "202601010010")
    assert huey.get("periodic:t:202601010000", peek=True) is None  # the old slot is dropped


def test_job_api_shows_status_and_progress(app, auth):
    user = auth("supervisor")
    job = _probe(steps=2)
    answer = user.get(f"/api/v1/jobs/{job.id}").get_json()
    assert (answer["status"], answer["progress"], answer["result"]) == (
        "queued",
        {"done": 0, "total": 0},
        None,
    )
    run_pending(app)
    answer = user.get(f"/api/v1/jobs/{job.id}").get_json()
    assert (answer["status"], answer["progress"]) == ("done", {"done": 2, "total": 2})
    missing = user.get("/api/v1/jobs/999999")
    assert (missing.status_code, missing.get_json()["error"]["code_name"]) == (404, "job_not_found")
    not_done = user.get(f"/api/v1/jobs/{job.id}/download")
    assert not_done.status_code == 404
    assert auth("engineer").get(f"/api/v1/jobs/{job.id}").status_code == 403
