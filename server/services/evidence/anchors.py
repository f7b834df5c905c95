"""Daily anchors: the chain's head hash at the end of each China day, to print and keep
elsewhere (monthly report, handover package) so a later edit of the database shows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from server.extensions import db
from server.models import EvidenceLink
from server.periods import Span, day_start, local_day
from server.services.sync import chain


def daily(span: Span) -> list[dict]:
    """One anchor per day of the span: day, records accepted that day, head seq and hash."""
    counts = _counts(span)
    anchors, day = [], span.first
    while day < span.after:
        seq, head = chain.head_at(day_start(day + timedelta(days=1)))
        anchors.append({"day": day, "records": counts.get(day, 0), "seq": seq, "hash": head})
        day += timedelta(days=1)
    return anchors


def _counts(span: Span) -> dict[date, int]:
    """Records accepted per China day (read in Python: one query, no per-dialect date maths)."""
    query = sa.select(EvidenceLink.server_time).where(
        EvidenceLink.server_time >= span.start, EvidenceLink.server_time < span.end
    )
    found: dict[date, int] = {}
    for (moment,) in db.session.execute(query.execution_options(yield_per=5000)):
        day = local_day(_aware(moment))
        found[day] = found.get(day, 0) + 1
    return found


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
