"""How the tags of a period's inspections were obtained, for the reports: counts per tag_source
(`unknown` for older phones), the inspections whose tag was typed by hand, and the inspections
with a presence flag."""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import TAG_SOURCES, Inspection, Site, User, Visit
from server.periods import Span
from server.services.plans.signals import current_inspections
from server.services.presence import inspections as presence

SOURCE_ZH = {"camera": "扫码", "typed": "手动输入", "list": "从列表选择", "unknown": "未知"}


def _in_period(query, span: Span, kind: str, site_id: int | None):
    query = query.join(Visit, Visit.id == Inspection.visit_id).where(
        Visit.inspection_kind == kind,
        Visit.started_at >= span.start,
        Visit.started_at < span.end,
        current_inspections(),
    )
    return query if site_id is None else query.where(Visit.site_id == site_id)


def tag_sources(span: Span, kind: str, site_id: int | None = None) -> dict:
    """{"counts": [{source, words, count}] in TAG_SOURCES order then unknown, "typed": rows}
    of the current inspections of the period's visits of a kind (at one site, or all)."""
    query = _in_period(
        sa.select(Inspection.tag_source, sa.func.count()).group_by(Inspection.tag_source),
        span,
        kind,
        site_id,
    )
    found = {source or "unknown": count for source, count in db.session.execute(query)}
    typed = _in_period(
        sa.select(Inspection.tag, Inspection.client_time, Site.code, Site.name, User.display_name)
        .select_from(Inspection)
        .join(User, User.id == Inspection.user_id)
        .where(Inspection.tag_source == "typed"),
        span,
        kind,
        site_id,
    )
    typed = typed.join(Site, Site.id == Visit.site_id).order_by(Site.code, Inspection.client_time)
    return {
        "counts": [
            {"source": s, "words": SOURCE_ZH[s], "count": found.get(s, 0)}
            for s in (*TAG_SOURCES, "unknown")
        ],
        "total": sum(found.values()),
        "typed": [
            {"tag": tag, "at": at, "site_code": code, "site": name, "engineer": engineer}
            for tag, at, code, name, engineer in db.session.execute(typed)
        ],
    }


def words_of(source: str | None) -> str:
    return SOURCE_ZH[source or "unknown"]


INSPECTION_ROWS = 500  # a report lists this many; the total says how many more there are


def flagged_inspections(span: Span, kind: str, limit: int = INSPECTION_ROWS) -> dict:
    """The period's current inspections of a kind with a review flag (far, no position, clock
    off, typed tag: the review queue's rules, filtered in SQL), by time, each with its flags:
    {"total", "rows": [{uuid, site_code, site, tag, engineer, at, flags, distance_m, accuracy_m}]}."""
    query = _in_period(
        sa.select(Inspection, Site.code, Site.name, User.display_name)
        .select_from(Inspection)
        .join(User, User.id == Inspection.user_id),
        span,
        kind,
        None,
    ).join(Site, Site.id == Visit.site_id)
    query = presence.flagged(query)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    found = db.session.execute(
        query.order_by(Inspection.client_time, Inspection.id).limit(limit)
    ).all()
    presence.annotate([row[0] for row in found])
    rows = []
    for inspection, code, name, engineer in found:
        known = inspection._presence
        rows.append(
            {
                "uuid": inspection.uuid,
                "site_code": code,
                "site": name,
                "tag": inspection.tag,
                "engineer": engineer,
                "at": inspection.client_time,
                "flags": known["flags"],
                "distance_m": known["distance_m"],
                "accuracy_m": known["accuracy_m"],
            }
        )
    return {"total": total, "rows": rows}
