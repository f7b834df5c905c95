"""The period's photos by content hash (photos/<sha256>.jpg), copied from the photo store (a
directory or S3) in chunks: one photo's chunk in memory at a time, however many photos there are."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from server.extensions import db
from server.models import Fault, Inspection, InspectionResult, Meeting, UsageRegister
from server.periods import Span
from server.services.core.photo_store import SHA256_RE, get_store

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def hashes(span: Span) -> list[str]:
    """Every photo hash the period's inspections, their results, its faults and the usage
    registers of its meetings (the drawn signatures) name, sorted."""
    inspected = sa.and_(Inspection.client_time >= span.start, Inspection.client_time < span.end)
    statements = (
        sa.select(Inspection.photos).where(inspected),
        sa.select(InspectionResult.photos)
        .join(Inspection, Inspection.id == InspectionResult.inspection_id)
        .where(inspected),
        sa.select(Fault.photos).where(
            Fault.reported_at >= span.start, Fault.reported_at < span.end
        ),
    )
    meetings = sa.select(Meeting.id).where(
        Meeting.starts_at >= span.start, Meeting.starts_at < span.end
    )
    signatures = sa.select(UsageRegister.signature_photo_id).where(
        UsageRegister.meeting_id.in_(meetings), UsageRegister.signature_photo_id.is_not(None)
    )
    found: set[str] = set()
    for (sha,) in db.session.execute(signatures.execution_options(yield_per=1000)):
        if SHA256_RE.match(sha):
            found.add(sha)
    for statement in statements:
        for (photos,) in db.session.execute(statement.execution_options(yield_per=1000)):
            found.update(p for p in photos or () if isinstance(p, str) and SHA256_RE.match(p))
    return sorted(found)


def count(span: Span) -> int:
    return len(hashes(span))


def write(ctx) -> list[str]:
    store = get_store()
    missing, written = [], 0
    for sha in hashes(ctx.span):
        found = store.head(sha)  # one request per photo on S3
        if found is None:
            missing.append(sha)
            ctx.step()
            continue
        extension = EXTENSIONS.get(found[0], "jpg")
        with store.open(sha) as source:
            ctx.writer.add_file(f"photos/{sha}.{extension}", source, compress=False)
        written += 1
        ctx.step()
    lines = [
        f"photos/：照片 {written} 张，文件名即其 SHA-256（内容哈希），记录表中的照片列即此哈希"
    ]
    if missing:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([["sha256"], *([m] for m in missing)])
        ctx.writer.add_bytes("photos_missing.csv", out.getvalue().encode())
        lines.append(f"photos_missing.csv：记录中提到但服务器上没有的照片 {len(missing)} 张")
    return lines
