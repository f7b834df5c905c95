"""Visit summaries stay equal to a recompute from the rows whatever order things arrive in.

Each step goes through the app's real paths (sync push, device API, ORM), commits, and then
every stored summary must equal a fresh computation, and say what the step implies.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from server.extensions import db as _db
from server.models import Device, Inspection, Room, Site, Visit, VisitTally, VisitTarget
from server.services.coverage import summary as coverage
from server.services.coverage import targets as visit_targets
from server.services.coverage.scope import scope_from
from tests import sync_records as rec
from tests.server.api.test_sync import PULL, push, template_for

KEY = (
    "visit_id",
    "site_id",
    "inspection_kind",
    "device_id",
    "tag",
    "type_id",
    "own",
    "failed_items",
    "previous_at",
)


def stored() -> dict[int, dict]:
    """Stored targets per visit: {visit id: {"devices": {type id: [own ids, other ids]},
    "unknown_tags": [...], "failed_items": {type id or "unknown": n}}}."""
    _db.session.expire_all()
    by_visit: dict[int, dict] = {}
    for t in _db.session.scalars(sa.select(VisitTarget).order_by(VisitTarget.device_id)):
        visit = by_visit.setdefault(
            t.visit_id, {"devices": {}, "unknown_tags": [], "failed_items": {}}
        )
        if t.device_id is None:
            visit["unknown_tags"].append(t.tag)
            key = "unknown"
        else:
            key = str(t.type_id)
            visit["devices"].setdefault(key, [[], []])[0 if t.own else 1].append(t.device_id)
        if t.failed_items:
            visit["failed_items"][key] = visit["failed_items"].get(key, 0) + t.failed_items
    return by_visit


def _nulls_first(row: tuple) -> tuple:
    return tuple((value is not None, value) for value in row)


def assert_exact() -> dict[int, dict]:
    """The stored rows equal a recompute from inspections and devices; returns stored()."""
    have = sorted(
        (tuple(getattr(t, k) for k in KEY) for t in _db.session.scalars(sa.select(VisitTarget))),
        key=_nulls_first,
    )
    fresh = sorted(
        (
            (
                r.visit_id,
                r.site_id,
                r.inspection_kind,
                r.device_id,
                r.tag,
                r.type_id,
                bool(r.own),
                r.failed_items,
                r.previous_at,
            )
            for r in _db.session.execute(visit_targets.targets(sa.true()))
        ),
        key=_nulls_first,
    )
    assert have == fresh
    tallies = sorted(
        (
            tuple(getattr(t, k) for k in visit_targets.TALLY_COLUMNS)
            for t in _db.session.scalars(sa.select(VisitTally))
        ),
        key=_nulls_first,
    )
    counted = sorted(
        (
            tuple(bool(v) if k == "own" else v for k, v in zip(visit_targets.TALLY_COLUMNS, row))
            for row in _db.session.execute(visit_targets.tallies(sa.true()))
        ),
        key=_nulls_first,
    )
    assert tallies == counted
    return stored()


def summary_of(visit_uuid: str) -> dict | None:
    visit_id = _db.session.scalar(sa.select(Visit.id).where(Visit.uuid == visit_uuid))
    return stored().get(visit_id)


@pytest.fixture
def field(reference_data, auth, factory):
    """An engineer with the field pack, two devices at 520100 and a room at 520300."""
    engineer = auth("engineer")
    pack = engineer.get(PULL).get_json()
    home = _db.session.scalar(sa.select(Room).join(Site).where(Site.code == "520100"))
    away = _db.session.scalar(sa.select(Room).join(Site).where(Site.code == "520300"))
    assert home is not None and away is not None
    devices = [factory.device("L09", room=home), factory.device("L07", room=home)]
    return {
        "engineer": engineer,
        "template": template_for(pack),
        "home": home,
        "away": away,
        "devices": devices,
        "admin": auth("admin"),
    }


def inspect(template: dict, tag: str, visit_uuid: str, fail: bool = False, **kw) -> dict:
    """An inspection record failing exactly one item when asked to, else passing."""
    record = rec.inspection(template, tag, visit_uuid, **kw)
    to_fail = [i for i, item in enumerate(template["items"]) if item["type"] == "pass_fail"][:fail]
    for index, (result, item) in enumerate(zip(record["data"]["results"], template["items"])):
        if item["type"] == "photo":
            result["value"] = "na"  # no photo to send in these tests
        if index in to_fail:
            result["value"] = "fail"
    assert not fail or to_fail, "the template has no pass/fail item"
    return record


def send(field, records) -> list[str]:
    response = push(field["engineer"], records)
    assert response.status_code == 200, response.get_json()
    return [r["status"] for r in response.get_json()["results"]]


def key(device: Device) -> str:
    return str(device.type_id)


def test_inspections_before_their_visit_are_summarised_when_it_arrives(field):
    l09, l07 = field["devices"]
    visit = rec.visit("520100")
    early = [inspect(field["template"], d.tag, visit["uuid"]) for d in (l09, l07)]
    assert send(field, early) == ["created", "created"]
    assert assert_exact() == {}
    assert send(field, [visit]) == ["created"]
    summary = summary_of(visit["uuid"])
    assert summary["devices"] == {key(l09): [[l09.id], []], key(l07): [[l07.id], []]}
    assert_exact()


def test_corrections_count_whichever_arrives_first(field):
    l09, _ = field["devices"]
    template = field["template"]
    visit = rec.visit("520100")
    original = inspect(template, l09.tag, visit["uuid"], fail=True)
    correction = inspect(template, l09.tag, visit["uuid"], supersedes=original["uuid"])
    assert send(field, [visit, original]) == ["created", "created"]
    assert summary_of(visit["uuid"])["failed_items"] == {key(l09): 1}
    assert send(field, [correction]) == ["created"]
    assert summary_of(visit["uuid"])["failed_items"] == {}
    assert_exact()
    # The other order: a failing correction first, then the original it corrects.
    second = rec.visit("520100")
    original = inspect(template, l09.tag, second["uuid"])
    correction = inspect(template, l09.tag, second["uuid"], fail=True, supersedes=original["uuid"])
    assert send(field, [second, correction]) == ["created", "created"]
    assert send(field, [original]) == ["created"]
    assert summary_of(second["uuid"])["failed_items"] == {key(l09): 1}
    assert_exact()


def test_an_unknown_tag_becomes_its_device_when_registered(field, factory):
    from server.tags import make_tag

    tag = make_tag(4242)
    visit = rec.visit("520100")
    assert send(field, [visit, inspect(field["template"], tag, visit["uuid"])]) == [
        "created",
        "created",
    ]
    assert summary_of(visit["uuid"]) == {"devices": {}, "unknown_tags": [tag], "failed_items": {}}
    response = field["admin"].post(
        "/api/v1/devices", json={"tag": tag, "type_code": "L09", "room_id": field["home"].id}
    )
    assert response.status_code == 201, response.get_json()
    device_id = response.get_json()["id"]
    assert summary_of(visit["uuid"])["devices"] == {key(field["devices"][0]): [[device_id], []]}
    assert_exact()


@pytest.mark.parametrize("change", [{"status": "retired"}, "move"])
def test_a_device_moved_or_retired_later_is_no_longer_the_sites_own(field, change):
    l09, l07 = field["devices"]
    visit = rec.visit("520100")
    send(field, [visit] + [inspect(field["template"], d.tag, visit["uuid"]) for d in (l09, l07)])
    body = {"room_id": field["away"].id} if change == "move" else change
    response = field["admin"].patch(f"/api/v1/devices/{l09.tag}", json={**body, "reason": "test"})
    assert response.status_code == 200, response.get_json()
    assert summary_of(visit["uuid"])["devices"] == {
        key(l09): [[], [l09.id]],
        key(l07): [[l07.id], []],
    }
    assert_exact()


def test_a_rejected_record_in_a_batch_leaves_the_others_summarised(field):
    l09, l07 = field["devices"]
    visit = rec.visit("520100")
    bad = inspect(
        field["template"], l07.tag, visit["uuid"], template_version=field["template"]["version"] + 1
    )
    good = inspect(field["template"], l09.tag, visit["uuid"])
    assert send(field, [visit, bad, good]) == ["created", "rejected", "created"]
    assert summary_of(visit["uuid"])["devices"] == {key(l09): [[l09.id], []]}
    assert_exact()


def test_orm_edits_and_deletes_are_followed(field):
    l09, l07 = field["devices"]
    visit = rec.visit("520100")
    records = [visit] + [inspect(field["template"], d.tag, visit["uuid"]) for d in (l09, l07)]
    send(field, records)
    inspection = _db.session.scalar(sa.select(Inspection).where(Inspection.device_id == l07.id))
    _db.session.delete(inspection)
    _db.session.commit()
    assert summary_of(visit["uuid"])["devices"] == {key(l09): [[l09.id], []]}
    assert_exact()


def test_a_deleted_visit_takes_its_targets_and_later_visits_lose_their_previous(field):
    l09, _ = field["devices"]
    first, second = rec.visit("520100"), rec.visit("520100")
    second["data"]["started_at"] = rec.now_iso()
    send(
        field,
        [
            first,
            inspect(field["template"], l09.tag, first["uuid"]),
            second,
            inspect(field["template"], l09.tag, second["uuid"]),
        ],
    )
    later = _db.session.scalar(
        sa.select(VisitTarget).join(Visit).where(Visit.uuid == second["uuid"])
    )
    assert later.previous_at is not None
    later_visit, later_id = later.visit_id, later.id
    visit = _db.session.scalar(sa.select(Visit).where(Visit.uuid == first["uuid"]))
    for inspection in _db.session.scalars(
        sa.select(Inspection).where(Inspection.visit_id == visit.id)
    ):
        _db.session.delete(inspection)
    _db.session.flush()
    _db.session.delete(visit)
    _db.session.commit()
    targets = assert_exact()
    assert list(targets) == [later_visit]
    kept = _db.session.get(VisitTarget, later_id)  # fixed in place, not rewritten
    assert kept is not None and kept.previous_at is None


def test_a_rolled_back_transaction_leaves_nothing_pending(field):
    l09, _ = field["devices"]
    device = _db.session.get(Device, l09.id)
    device.status = "retired"
    _db.session.flush()
    assert visit_targets.pending(_db.session())
    _db.session.rollback()
    assert not visit_targets.pending(_db.session())


def test_rebuild_all_gives_what_was_kept(field):
    l09, l07 = field["devices"]
    visit = rec.visit("520100")
    send(
        field,
        [
            visit,
            inspect(field["template"], l09.tag, visit["uuid"], fail=True),
            inspect(field["template"], l07.tag, visit["uuid"]),
        ],
    )
    kept = assert_exact()
    _db.session.execute(sa.delete(VisitTarget))
    assert visit_targets.rebuild_all(_db.session()) == 2
    _db.session.commit()
    assert stored() == kept


def test_coverage_reads_this_sessions_uncommitted_changes(field):
    """Coverage asked in the transaction that changed things sees them (CLI scripts, tests)."""
    from datetime import date, timedelta

    l09, l07 = field["devices"]
    visit = rec.visit("520100")
    send(field, [visit] + [inspect(field["template"], d.tag, visit["uuid"]) for d in (l09, l07)])
    today = date.today()
    scope = scope_from(
        {"from": today.replace(day=1) - timedelta(days=40), "to": today + timedelta(days=1)}
    )
    before = next(r for r in coverage.summarise(scope)["sites"] if r["code"] == "520100")
    assert (before["inspected"], before["unexpected"]) == (2, 0)
    _db.session.get(Device, l09.id).status = "retired"
    _db.session.flush()  # not committed
    after = next(r for r in coverage.summarise(scope)["sites"] if r["code"] == "520100")
    assert (after["inspected"], after["unexpected"], after["missing"]) == (1, 1, 0)
    _db.session.rollback()


def test_concurrent_recomputes_wait_for_each_other(field, app):
    """A device moved while another transaction stores its inspection: the summary ends right.

    The sync transaction recomputes and holds the lock; the move's recompute must wait for
    its commit and then see the new inspection. Without the lock it would recompute from a
    snapshot without it and leave the visit's summary saying the device is still the site's.
    """
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time; the race needs PostgreSQL")
    l09, _ = field["devices"]
    visit = rec.visit("520100")
    send(field, [visit])
    visit_id = _db.session.scalar(sa.select(Visit.id).where(Visit.uuid == visit["uuid"]))
    _db.session.commit()
    recomputed, moved = threading.Event(), threading.Event()
    errors = []

    def move_device():
        with app.app_context():
            try:
                recomputed.wait(10)
                device = _db.session.get(Device, l09.id)
                device.room_id = field["away"].id
                _db.session.commit()  # recomputes: blocks on the lock until the other commits
            except Exception as exc:  # surfaced below
                errors.append(exc)
            finally:
                moved.set()
                _db.session.remove()

    worker = threading.Thread(target=move_device)
    worker.start()
    from tests.server.plans_helpers import FieldFactory

    field_factory = FieldFactory()
    engineer_visit = _db.session.get(Visit, visit_id)
    field_factory.inspection(engineer_visit, _db.session.get(Device, l09.id))
    visit_targets.refresh_pending(_db.session())
    recomputed.set()
    from tests.server.services.coverage.test_target_locks import _wait_for_a_blocked_lock

    _wait_for_a_blocked_lock()  # the move waits for the lock (seen in pg_locks, not guessed)
    assert not moved.is_set(), "the move committed while the lock was held"
    _db.session.commit()
    worker.join(20)
    assert not errors
    assert stored()[visit_id]["devices"] == {key(l09): [[], [l09.id]]}
    assert_exact()
