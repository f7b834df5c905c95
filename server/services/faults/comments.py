"""Comments on a fault: their own records (who, the server's time, text, evidence files from
the core evidence store), listed with the steps in the fault's timeline."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Invalid
from server.extensions import db
from server.models import Fault, FaultComment, User
from server.services.core import attachments
from server.services.faults import lifecycle

MAX_ATTACHMENTS = 10


def _files(given: list[dict]) -> list[dict]:
    """Each file must be uploaded first (PUT /faults/attachments/<sha256>); keep its type, size."""
    files = []
    for index, item in enumerate(given):
        found = attachments.find(item["sha256"])
        if found is None:
            raise Invalid(
                f"Attachment {index + 1} ({item['sha256'][:12]}…) has not been uploaded; PUT it "
                "to /api/v1/faults/attachments/<sha256> first.",
                errors={"json": {"attachments": {str(index): ["not uploaded"]}}},
                code_name="attachment_missing",
            )
        content_type, size = found
        files.append(
            {
                "sha256": item["sha256"],
                "name": (item.get("name") or "").strip() or None,
                "content_type": content_type,
                "size": size,
            }
        )
    return files


def add_comment(fault: Fault, by: User, text: str | None, files: list[dict]) -> FaultComment:
    """Comment on a fault (closed ones too: notes after closing are kept); text or a file."""
    text = (text or "").strip() or None
    if text is None and not files:
        raise Invalid(
            "A comment needs text or an attachment.",
            errors={"json": {"text": ["text or an attachment required"]}},
            code_name="comment_empty",
        )
    row = FaultComment(
        fault_id=fault.id,
        user_id=by.id,
        server_time=lifecycle.current_time(),
        text=text,
        attachments=_files(files),
    )
    db.session.add(row)
    db.session.flush()
    return row


def comments_of(fault: Fault) -> list[FaultComment]:
    """The fault's comments, oldest first."""
    return db.session.scalars(
        sa.select(FaultComment)
        .where(FaultComment.fault_id == fault.id)
        .order_by(FaultComment.server_time, FaultComment.id)
    ).all()


def dump_comment(row: FaultComment) -> dict:
    return {
        "id": row.id,
        "fault_id": row.fault_id,
        "author": {"id": row.author.id, "display_name": row.author.display_name},
        "server_time": row.server_time.isoformat(),
        "text": row.text,
        "attachments": [
            {**a, "url": f"/api/v1/faults/attachments/{a['sha256']}"} for a in row.attachments
        ],
    }
