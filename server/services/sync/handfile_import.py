"""Importing a phone's hand-over file (docs/handover-file.md): the one service the office page
and `xunjian sync import` share. The file is verified whole first (handfile.read_export); then
its photos go through the photo store (hash and image checked again there) and its records
through the push's own engine, as the key's user: same idempotency, conflicts and answers."""

from __future__ import annotations

import io

from flask import current_app

from server.extensions import db
from server.models import SyncImport, User, utcnow
from server.periods import iso
from server.services.core import photo_store
from server.services.sync import engine, handfile


def _push_order(records: list) -> list:
    """Visits first (the server then knows the visit an inspection names), as the phone pushes."""
    return sorted(
        records, key=lambda r: 0 if isinstance(r, dict) and r.get("type") == "visit" else 1
    )


def import_file(source, importer: User | None, file_name: str | None = None) -> SyncImport:
    """Verify, then store; the import run (with its signed receipt) is returned, flushed.
    `source`: the file's bytes or a binary stream (read once, line by line: memory holds the
    manifest and one photo, not the file)."""
    limit = current_app.config.get("HANDFILE_MAX_BYTES", 256 * 1024 * 1024)
    if isinstance(source, bytes | bytearray) and len(source) > limit:
        raise photo_store.TooLarge(f"The file has {len(source)} bytes; the limit is {limit}.")
    found = handfile.read_export(source, limit)
    try:
        stored = _store_photos(found)
    finally:
        found.close()
    records = _push_order(found.manifest["records"])
    results: dict[int, dict] = {}
    for start in range(0, len(records), engine.MAX_BATCH):
        batch = records[start : start + engine.MAX_BATCH]
        # No sent_at: the file was made days ago, so its clock says nothing of the phone's
        # offset now; a record dated in the future still betrays a wrong clock (prepare.py).
        answer = engine.push(found.user, batch)
        for offset, result in enumerate(answer["results"]):
            results[start + offset] = result
    answers = [results[i] for i in range(len(records))]
    return _record_run(found, importer, file_name, answers, stored)


def _store_photos(found: handfile.Verified) -> list[str]:
    store, limit = photo_store.get_store(), current_app.config["PHOTO_MAX_BYTES"]
    for sha in sorted(found.photos):
        raw = found.photo_bytes(sha)
        store.put_stream(sha, io.BytesIO(raw), limit, len(raw))
    return sorted(found.photos)


def _count(answers: list, status: str) -> int:
    return sum(1 for a in answers if a["status"] == status)


def _record_run(found, importer, file_name, answers, photos) -> SyncImport:
    """The import run with its receipt, written in one insert (one audit row, not two)."""
    now = utcnow()
    receipt = handfile.receipt_text(
        found.key,
        {
            "key_id": found.key.key_id,
            "phone_id": found.key.phone_id,
            "user": {"id": found.user.id, "username": found.user.username},
            "imported_at": iso(now),
            "file_sha256": found.sha256,
            "results": answers,
            "photos": photos,
        },
    )
    run = SyncImport(
        key_id=found.key.key_id,
        user_id=found.user.id,
        phone_id=found.key.phone_id,
        imported_by_id=importer.id if importer is not None else None,
        imported_at=now,
        file_name=(file_name or "")[:255] or None,
        file_sha256=found.sha256,
        exported_at=found.manifest["created_at"][:40],
        records=len(answers),
        created=_count(answers, "created"),
        duplicates=_count(answers, "duplicate"),
        conflicts=_count(answers, "conflict"),
        rejected=_count(answers, "rejected"),
        photos=len(photos),
        receipt=receipt,
    )
    db.session.add(run)
    db.session.flush()
    return run


def results_of(run: SyncImport) -> list[dict]:
    """The per-record answers, read back from the signed receipt."""
    import json

    return json.loads(run.receipt.split("\n", 1)[0])["results"]
