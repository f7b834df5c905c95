"""One change to many devices at once (move to a room, set a status), all or nothing: each device
goes through the same rules as a single edit (device_changes.py), a dry run says what each one
would do, and a real run writes nothing unless every device passes."""

from __future__ import annotations

from dataclasses import dataclass

from server.errors import AppError, Invalid
from server.extensions import db
from server.services.core import device_changes
from server.services.core import devices as device_service
from server.services.core.transactions import begin_write_transaction

ACTIONS = ("move", "status")
MAX_BULK = 500  # a page of the registry is 50; 500 covers a site's whole stock with room to spare


@dataclass
class Outcome:
    """What the change does to one device: ok, or the refusal's code and English reason."""

    tag: str
    ok: bool
    code: str | None = None
    message: str | None = None

    def as_dict(self) -> dict:
        return {"tag": self.tag, "ok": self.ok, "code": self.code, "message": self.message}


def _apply_one(tag: str, action: str, reason: str, room_id=None, status=None) -> None:
    device = device_service.get_by_tag(tag)
    if action == "move":
        device_changes.move_device(device, room_id, reason)
    elif status == device.status:
        raise Invalid(
            f"Device {device.tag} already has this status.",
            errors={"json": {"status": ["the device already has this status"]}},
            code_name="same_status",
        )
    else:  # retiring goes through the same open-fault rule as a single edit
        device_changes.update_device(device, reason=reason, status=status)


def _check_args(action: str, reason: str | None, room_id, status) -> str:
    needed = {"move": ("room_id", room_id), "status": ("status", status)}[action]
    if needed[1] is None:
        raise Invalid(
            f"A bulk {action} needs {needed[0]}.",
            errors={"json": {needed[0]: ["required for this action"]}},
            code_name="bulk_incomplete",
        )
    return device_changes.require_reason(reason)


def _each(tags: list[str], action: str, reason: str, room_id, status, keep: bool) -> list[Outcome]:
    """Every device's outcome, each change in its own savepoint (rolled back unless `keep`)."""
    begin_write_transaction()  # else SQLite's RELEASE of the first savepoint would commit it
    outcomes = []
    for tag in tags:
        savepoint = db.session.begin_nested()
        try:
            _apply_one(tag, action, reason, room_id=room_id, status=status)
        except AppError as exc:
            savepoint.rollback()
            outcomes.append(Outcome(tag, False, exc.code_name, exc.message))
            continue
        if keep:
            savepoint.commit()
        else:
            savepoint.rollback()
        outcomes.append(Outcome(tag, True))
    return outcomes


def check(
    tags: list[str], action: str, reason: str | None, room_id=None, status=None
) -> list[dict]:
    """A dry run: what the change would do to each device; nothing is written."""
    reason = _check_args(action, reason, room_id, status)
    return [o.as_dict() for o in _each(tags, action, reason, room_id, status, keep=False)]


def apply(
    tags: list[str], action: str, reason: str | None, room_id=None, status=None
) -> list[dict]:
    """The change to every device, or none: one refusal refuses the batch, naming each device."""
    reason = _check_args(action, reason, room_id, status)
    outcomes = _each(tags, action, reason, room_id, status, keep=True)
    refused = [o for o in outcomes if not o.ok]
    if refused:
        raise Invalid(
            f"{len(refused)} of {len(tags)} devices cannot take this change, so none was changed; "
            "check the batch to see each device's reason, then leave those out or fix them.",
            errors={"json": {"tags": {o.tag: [o.message] for o in refused}}},
            code_name="bulk_refused",
        )
    return [o.as_dict() for o in outcomes]
