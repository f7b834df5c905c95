"""GET /api/v1/backups and /api/v1/backups/<id>: the runs newest first, filtered, in the
answer's shape; an unknown id is a 404 with its code, an unknown filter a 422."""

from __future__ import annotations

from server.extensions import db
from server.models import BackupRun
from tests.server.frozen import cst


def _runs():
    rows = []
    for day, state in ((10, "verified"), (11, "failed"), (12, "check_failed")):
        at = cst(2025, 3, day, 2, 30)
        rows.append(
            BackupRun(
                started_at=at,
                finished_at=at,
                ran_by="task:backups.daily",
                state=state,
                reason=None if state == "verified" else "why",
                db_kind="sqlite",
                revision="0029_backups",
                counts={"inspection": 3},
                digests={"inspection": "ab" * 32},
            )
        )
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_list_and_one(app, auth):
    rows = _runs()
    viewer = auth("viewer")
    page = viewer.get("/api/v1/backups").get_json()
    assert page["total"] == 3
    assert [item["id"] for item in page["items"]] == [r.id for r in reversed(rows)]
    first = page["items"][-1]
    assert first["state"] == "verified" and first["counts"] == {"inspection": 3}
    assert first["started_at"] == "2025-03-09T18:30:00Z"
    day = viewer.get("/api/v1/backups?from=2025-03-11&to=2025-03-11").get_json()
    assert [item["state"] for item in day["items"]] == ["failed"]
    bad = viewer.get("/api/v1/backups?state=check_failed").get_json()["items"]
    assert [item["id"] for item in bad] == [rows[2].id]
    one = viewer.get(f"/api/v1/backups/{rows[1].id}")
    assert one.status_code == 200 and one.get_json()["reason"] == "why"


def test_refusals(app, auth):
    supervisor = auth("supervisor")
    missing = supervisor.get("/api/v1/backups/999")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code_name"] == "backup_not_found"
    for query in ("state=lost", "from=2025-03-12&to=2025-03-11", "limit=3"):
        assert supervisor.get(f"/api/v1/backups?{query}").status_code == 422, query
    assert auth("engineer").get("/api/v1/backups").status_code == 403
