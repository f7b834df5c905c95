"""GET /api/v1/audit: filters (who, entity, channel, action, days), paging, unknown params refused."""

from datetime import UTC, datetime

import sqlalchemy as sa

from server.models import AuditLog


def _row(db, at, actor="alice", entity="device", entity_id="1", action="create", channel="api"):
    db.session.execute(
        sa.insert(AuditLog),
        [
            {
                "at": at,
                "actor_id": None,
                "actor_label": actor,
                "channel": channel,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "changes": {"status": ["in_store", "in_service"]},
            }
        ],
    )
    db.session.commit()


def test_filters_by_who_entity_and_china_days_newest_first(auth, db):
    reader = auth("viewer")
    db.session.execute(sa.delete(AuditLog))
    db.session.commit()
    _row(db, datetime(2026, 3, 1, 15, 30, tzinfo=UTC))  # 2026-03-01 23:30 China time
    _row(db, datetime(2026, 3, 1, 16, 30, tzinfo=UTC))  # 2026-03-02 00:30 China time
    _row(db, datetime(2026, 3, 2, 1, 0, tzinfo=UTC), actor="bob", entity="site", action="update")
    _row(db, datetime(2026, 3, 5, 1, 0, tzinfo=UTC), channel="cli", action="delete")

    def get(query):
        response = reader.get(f"/api/v1/audit?{query}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    day = get("from=2026-03-02&to=2026-03-02")
    assert [r["actor_label"] for r in day["items"]] == ["bob", "alice"]
    assert get("actor=alice&entity=device")["total"] == 3
    assert get("action=update")["items"][0]["entity"] == "site"
    assert get("channel=cli")["items"][0]["action"] == "delete"
    first = get("per_page=2&page=1")
    second = get("per_page=2&page=2")
    assert first["total"] == 4 and len(first["items"]) == 2 and len(second["items"]) == 2
    assert first["items"][0]["id"] > second["items"][0]["id"]
    row = first["items"][0]
    assert set(row) == {
        "id",
        "at",
        "actor_id",
        "actor_label",
        "channel",
        "action",
        "entity",
        "entity_id",
        "changes",
        "names",
    }


def test_unknown_or_bad_params_are_422_naming_the_field(auth):
    reader = auth("supervisor")
    for query, field in [
        ("who=alice", "who"),
        ("channel=fax", "channel"),
        ("from=2026-03-05&to=2026-03-01", "to"),
        ("from=yesterday", "from"),
    ]:
        response = reader.get(f"/api/v1/audit?{query}")
        assert response.status_code == 422, query
        assert field in response.get_json()["error"]["errors"]["query"], query


def test_engineers_may_not_read_the_audit_log(auth):
    assert auth("engineer").get("/api/v1/audit").status_code == 403


def test_ids_that_point_at_a_room_or_user_are_named(auth, db, reference_data):
    """A moved device's room and a fault's assignee read as names, not bare ids."""
    from server.models import Room, User

    reader = auth("viewer")
    rooms = db.session.scalars(sa.select(Room).order_by(Room.id).limit(2)).all()
    user = db.session.scalars(sa.select(User).order_by(User.id)).first()
    db.session.execute(sa.delete(AuditLog))
    db.session.commit()
    at = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
    _row(db, at, action="update")
    db.session.execute(
        sa.update(AuditLog).values(changes={"room_id": [rooms[0].id, rooms[1].id], "notes": 7})
    )
    _row(db, at, entity="fault", action="update")
    db.session.execute(
        sa.update(AuditLog)
        .where(AuditLog.entity == "fault")
        .values(changes={"assignee_id": [None, user.id]})
    )
    db.session.commit()
    items = reader.get("/api/v1/audit?per_page=10").get_json()["items"]
    names = {row["entity"]: row["names"] for row in items}
    assert names["device"] == {
        "room_id": {str(rooms[0].id): rooms[0].name, str(rooms[1].id): rooms[1].name}
    }
    assert names["fault"] == {"assignee_id": {str(user.id): user.username}}
