"""The assessment events of the handover package: every event with its history (CSV) and
its evidence files by content hash (handover/parts.py)."""

from __future__ import annotations

import csv
import io
import shutil

from server.services.core import safe_cells

COLUMNS = [
    "id",
    "form",
    "item",
    "rule",
    "points",
    "occurred_on",
    "description",
    "fault_id",
    "withdrawn",
    "supersedes_id",
    "entered_by",
    "entered_at",
    "attachments",
]


def _events(span):
    from datetime import timedelta

    from server.services.assessment import events

    return events.all_events(span.first, span.after - timedelta(days=1))


def _write(ctx) -> list[str]:
    from server.services.core import attachments

    rows, files = _events(ctx.span), set()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for event in rows:
        shas = [a["sha256"] for a in event.attachments]
        files.update(shas)
        writer.writerow(
            safe_cells.csv_row(
                [
                    event.id,
                    event.form,
                    event.item,
                    event.rule,
                    event.points,
                    event.occurred_on,
                    event.description,
                    event.fault_id,
                    event.withdrawn,
                    event.supersedes_id,
                    event.entered_by.display_name,
                    event.entered_at,
                    " ".join(shas),
                ]
            )
        )
    ctx.writer.add_bytes("assessment/events.csv", ("\ufeff" + out.getvalue()).encode("utf-8"))
    for sha in sorted(files):
        if attachments.find(sha) is None:
            continue  # named but never uploaded: the event's row still names it
        content_type, source = attachments.open_file(sha)
        suffix = ".pdf" if content_type == attachments.PDF else ".jpg"
        with source, ctx.writer.stream(f"assessment/evidence/{sha}{suffix}", False) as out:
            shutil.copyfileobj(source, out, 1 << 16)
    ctx.step()
    return [
        f"assessment/events.csv：考核事件 {len(rows)} 条（含被更正和撤回的历史）；"
        f"assessment/evidence/：证据文件 {len(files)} 个，文件名为内容的 SHA-256"
    ]


def handover_part():
    from server.services.handover.parts import Part

    return Part("assessment_events", lambda span: 1, _write)
