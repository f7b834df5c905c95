"""Response schemas of the reports API."""

import marshmallow as ma

from server.api.out import Out, Timestamp


class ReportKindOut(Out):
    name = ma.fields.String(metadata={"description": "the kind, as in /api/v1/reports/<kind>"})
    title = ma.fields.String(metadata={"description": "Chinese title, as printed"})
    title_en = ma.fields.String()
    period_kind = ma.fields.String(
        metadata={
            "description": "month (2025-12), quarter (2025Q4), any (also 2025, ranges) or "
            "meeting (one meeting: ?meeting=<id> instead of period)"
        }
    )
    available = ma.fields.Boolean()
    unavailable_reason = ma.fields.String(
        allow_none=True, metadata={"description": "why not yet, in Chinese; null when available"}
    )


class ReportNoteOut(Out):
    kind = ma.fields.String()
    period = ma.fields.String()
    text = ma.fields.String(metadata={"description": "empty when nobody has written one yet"})
    updated_by = ma.fields.Integer(allow_none=True)
    updated_at = Timestamp(allow_none=True)
