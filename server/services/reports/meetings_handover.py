"""The meetings in the handover package (handover/parts.py OPTIONAL_PARTS): the meeting tables
(CSV + XLSX under data/), each meeting's due checks as computed now, each month's 会议保障月报 and
every meeting's usage register PDF under meetings/. One meeting in memory at a time."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Meeting
from server.services.handover import meeting_tables
from server.services.meetings import due, meetings
from server.services.reports import meeting_register, meetings_monthly, registry
from server.services.reports.meetings_monthly import instant

DUE_COLUMNS = [
    "meeting_id", "key", "kind", "subject", "due_at", "state", "done_at", "done_by_user_id",
    "on_time",
]  # fmt: skip


def _meeting_ids(span: periods.Span) -> list[int]:
    """Ids only (a few bytes each); each meeting is loaded when its turn comes."""
    query = (
        sa.select(Meeting.id)
        .where(Meeting.starts_at >= span.start, Meeting.starts_at < span.end)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return list(db.session.scalars(query))


def _months(span: periods.Span) -> list[str]:
    found, day = [], span.first.replace(day=1)
    while day < span.after:
        found.append(f"{day:%Y-%m}")
        day = (day + timedelta(days=32)).replace(day=1)
    return found


def _steps(span: periods.Span) -> int:
    return len(meeting_tables.TABLES) + 1 + len(_months(span)) + len(_meeting_ids(span))


def _due_rows(ids: list[int]):
    """Each meeting's due checks with their state now; on_time says whether a done check was
    done by its due time (是/否), empty while not done."""
    from server.services.handover.cells import cell

    now = meetings.current_time()
    for meeting_id in ids:
        meeting = db.session.get(Meeting, meeting_id)
        for check in due.due_checks(meeting, now):
            on_time = None
            if check["done_at"]:
                on_time = instant(check["done_at"]) <= instant(check["due_at"])
            times = {"due_at": instant(check["due_at"]), "done_at": instant(check["done_at"])}
            values = [meeting_id, *(times.get(c, check.get(c)) for c in DUE_COLUMNS[1:-1]), on_time]
            yield [cell(v) for v in values]


def _write(ctx) -> list[str]:
    from server.services.handover import parts

    lines = []
    for name, title, source in meeting_tables.TABLES:
        columns, rows = source(ctx.span)
        count = parts.write_table(ctx, name, columns, rows)
        lines.append(f"data/{name}.csv / .xlsx：{title}，{count} 行")
        ctx.step()
    ids = _meeting_ids(ctx.span)
    count = parts.write_table(ctx, "meeting_due_checks", DUE_COLUMNS, _due_rows(ids))
    lines.append(
        f"data/meeting_due_checks.csv / .xlsx：每场会议应完成的会前检查及完成情况"
        f"（on_time=是 为按时完成），{count} 行"
    )
    ctx.step()
    for month in _months(ctx.span):
        pdf = registry.render_report(meetings_monthly.KIND, month)
        ctx.writer.add_bytes(
            f"meetings/{registry.filename(meetings_monthly.KIND, month)}", pdf, False
        )
        ctx.step()
    for meeting_id in ids:
        meeting = db.session.get(Meeting, meeting_id)
        pdf = meeting_register.pdf(meeting)
        ctx.writer.add_bytes(f"meetings/registers/{meeting_register.filename(meeting)}", pdf, False)
        ctx.step()
    lines.append(
        f"meetings/：每月{meetings_monthly.TITLE} PDF {len(_months(ctx.span))} 份；"
        f"meetings/registers/：每场会议的{meeting_register.TITLE} PDF {len(ids)} 份"
        "（含已取消的会议）；登记表中的签字图片在 photos/ 下，以 SHA-256 命名"
    )
    return lines


def handover_part():
    from server.services.handover.parts import Part

    return Part("meetings", _steps, _write)
