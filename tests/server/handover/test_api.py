"""The handover API: start a build (a second start answers with the running one), follow it,
download it with resume (Range, If-Range, 416), and bad periods refused."""

from __future__ import annotations

import hashlib

import pytest

from tests.server.handover import scene
from tests.server.tasks.helpers import run_pending


@pytest.fixture
def records(app, tmp_path, reference_data, factory):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    app.config["JOB_FILES"] = str(tmp_path / "jobs")
    return scene.build(reference_data, factory)


def _download(user, url, **kwargs):
    """A download, read and closed (the file behind it must not stay open)."""
    response = user.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def _built(app, user) -> dict:
    started = user.post("/api/v1/handover", json={"period": "2025"})
    assert started.status_code == 202, started.get_json()
    again = user.post("/api/v1/handover", json={})
    assert again.status_code == 200
    assert again.get_json()["job"]["id"] == started.get_json()["job"]["id"]
    assert again.get_json()["created"] is False
    assert run_pending(app) == 1
    job = user.get(f"/api/v1/jobs/{started.get_json()['job']['id']}").get_json()
    assert job["status"] == "done", job
    return job


def test_build_follow_and_download_with_resume(app, auth, records):
    user = auth("supervisor")
    job = _built(app, user)
    assert job["progress"]["done"] == job["progress"]["total"] > 0
    result = job["result"]
    assert result["name"] == "xunjian-handover-2025.zip"
    whole = _download(user, result["download"])
    assert whole.status_code == 200 and whole.headers["Accept-Ranges"] == "bytes"
    assert hashlib.sha256(whole.data).hexdigest() == result["sha256"]
    assert len(whole.data) == result["size"]
    etag = whole.headers["ETag"]
    rest = _download(user, result["download"], headers={"Range": "bytes=100-", "If-Range": etag})
    assert rest.status_code == 206
    assert rest.headers["Content-Range"] == f"bytes 100-{result['size'] - 1}/{result['size']}"
    assert whole.data[:100] + rest.data == whole.data
    changed = _download(
        user, result["download"], headers={"Range": "bytes=100-", "If-Range": '"other"'}
    )
    assert changed.status_code == 200 and changed.data == whole.data
    beyond = _download(user, result["download"], headers={"Range": f"bytes={result['size'] + 10}-"})
    assert beyond.status_code == 416
    listing = auth("viewer").get("/api/v1/handover").get_json()["items"]
    assert [item["id"] for item in listing] == [job["id"]]
    assert _download(auth("viewer"), result["download"]).status_code == 200
    assert _download(auth("engineer"), result["download"]).status_code == 403


def test_after_a_build_finishes_a_new_one_starts(app, auth, records):
    user = auth("admin")
    first = _built(app, user)
    second = user.post("/api/v1/handover", json={"period": "term"})
    assert second.status_code == 202 and second.get_json()["job"]["id"] != first["id"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"period": "2025-13"}, "period"),
        ({"period": "2025-12-31..2025-01-01"}, "period"),
        ({"period": ""}, "period"),
        ({"period": "2025", "extra": 1}, "extra"),
    ],
)
def test_bad_periods_are_refused_and_start_nothing(app, auth, body, field):
    import sqlalchemy as sa

    from server.extensions import db
    from server.models import Job

    answer = auth("supervisor").post("/api/v1/handover", json=body)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["error"]["errors"]["json"]
    assert (
        db.session.scalar(sa.select(sa.func.count(Job.id))) == 0
        and app.extensions["huey"].pending_count() == 0
    )


def test_engineers_may_not_build(auth):
    assert auth("engineer").post("/api/v1/handover", json={}).status_code == 403
