"""Job retention with frozen time: files deleted after JOB_RETENTION_DAYS, rows kept as
expired, the API answering 410 Gone; the `xunjian jobs prune` command."""

from __future__ import annotations

from datetime import timedelta

from server.extensions import db
from server.models import Job, utcnow
from server.services import job_retention, jobs


def _finished_job(app, days_ago: float) -> Job:
    job = Job(
        kind="probe", params={}, status="done", finished_at=utcnow() - timedelta(days=days_ago)
    )
    db.session.add(job)
    db.session.flush()
    path = jobs.files_root() / f"job-{job.id}.zip"
    path.write_bytes(b"PK")
    job.result_path, job.result_name, job.result_size = path.name, "package.zip", 2
    db.session.commit()
    return job


def test_old_files_are_deleted_and_rows_kept_as_expired(app, monkeypatch):
    app.config["JOB_RETENTION_DAYS"] = 14
    old, recent = _finished_job(app, 15), _finished_job(app, 13)
    old_file = jobs.files_root() / old.result_path
    assert job_retention.prune() == [old.id]
    db.session.commit()
    assert not old_file.exists()
    assert (jobs.files_root() / recent.result_path).is_file()
    assert (old.status, old.result_path, old.result_name) == ("expired", None, "package.zip")
    # A day later (frozen clock) the recent one expires too.
    later = utcnow() + timedelta(days=1, hours=1)
    monkeypatch.setattr(job_retention, "current_time", lambda: later)
    assert job_retention.prune() == [recent.id]


def test_the_api_answers_410_for_an_expired_job(app, auth):
    old = _finished_job(app, 30)
    job_retention.prune()
    db.session.commit()
    client = auth("supervisor")
    for url in (f"/api/v1/jobs/{old.id}", f"/api/v1/jobs/{old.id}/download"):
        response = client.get(url)
        assert response.status_code == 410, url
        error = response.get_json()["error"]
        assert error["code_name"] == "job_expired"
        assert "JOB_RETENTION_DAYS" in error["message"]


def test_the_prune_command(app):
    old = _finished_job(app, 30)
    result = app.test_cli_runner().invoke(args=["jobs", "prune"])
    assert result.exit_code == 0, result.output
    assert "1 job(s) expired" in result.output
    db.session.expire_all()
    assert db.session.get(Job, old.id).status == "expired"
