"""Review queues (read-only): recorded inspections that wait for a supervisor's look."""

import marshmallow as ma
from flask_smorest import Blueprint

from server.api.base import PageArgs, paginate, roles_required
from server.api.field import InspectionOut
from server.api.out import Computed, Out, Timestamp
from server.api.schemas import page_of
from server.api.set_aside import SetAsideOut
from server.api.sync import SyncPersonOut, person_of
from server.security import MANAGER_ROLES
from server.services.field import queries
from server.services.review import records as review_records
from server.services.sync import reports as phone_reports
from server.services.sync import set_aside as set_aside_service

blp = Blueprint("review", __name__, url_prefix="/review", description="Review queues")


class RecordsQuery(PageArgs):
    kind = ma.fields.String(
        load_default="clock",
        validate=ma.validate.OneOf(review_records.KINDS),
        metadata={"description": "clock (the default), photos, chain or presence"},
    )


class ItemNameOut(Out):
    key = ma.fields.String()
    label_zh = ma.fields.String(allow_none=True)
    label_en = ma.fields.String(allow_none=True)


class SiteNameOut(Out):
    code = ma.fields.String()
    name = ma.fields.String()


class ReviewRecordOut(InspectionOut):
    user = Computed(
        lambda i: person_of(i.user_id), like=ma.fields.Nested(SyncPersonOut, allow_none=True)
    )
    site = Computed(
        review_records.site_of,
        like=ma.fields.Nested(SiteNameOut, allow_none=True),
        metadata={"description": "the visit's site, once the visit arrived"},
    )
    no_photo_items = Computed(
        review_records.no_photo_items,
        like=ma.fields.List(ma.fields.Nested(ItemNameOut)),
        metadata={"description": "photo_required items answered without a photo"},
    )


@blp.route("/records")
@roles_required(*MANAGER_ROLES)
@blp.arguments(RecordsQuery, location="query")
@blp.response(200, page_of(ReviewRecordOut))
def list_records(args):
    """Current inspections with a clock warning (kind=clock), a required photo missing (photos),
    a gap in their phone's chain (chain) or a presence flag (presence)."""
    page = paginate(review_records.records_query(args["kind"]), args["page"], args["per_page"])
    queries.annotate(page["items"])
    return page


class SetAsideRowOut(SetAsideOut):
    user = Computed(
        lambda row: person_of(row.user_id), like=ma.fields.Nested(SyncPersonOut, allow_none=True)
    )


@blp.route("/set-asides")
@roles_required(*MANAGER_ROLES)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(SetAsideRowOut))
def list_set_asides(args):
    """Records the phones set aside after the server refused them, with the reasons, newest first."""
    return paginate(set_aside_service.set_asides_query(), args["page"], args["per_page"])


class LostPhoneOut(Out):
    phone_id = ma.fields.String()
    user = Computed(
        lambda r: person_of(r.user_id), like=ma.fields.Nested(SyncPersonOut, allow_none=True)
    )
    never_arrived = Computed(
        lambda r: len(phone_reports.never_arrived(r)),
        like=ma.fields.Integer(),
        metadata={"description": "records this phone held unsent that the server never got"},
    )
    uuids = Computed(phone_reports.never_arrived, like=ma.fields.List(ma.fields.String()))
    waiting = ma.fields.Integer(metadata={"description": "unsent at its last report"})
    reported_at = Timestamp()


@blp.route("/phones")
@roles_required(*MANAGER_ROLES)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(LostPhoneOut))
def list_phones(args):
    """Phones whose unsent records vanished before reaching the server, latest report first."""
    rows = phone_reports.reports_with_losses()
    start = (args["page"] - 1) * args["per_page"]
    return {
        "items": rows[start : start + args["per_page"]],
        "total": len(rows),
        "page": args["page"],
        "per_page": args["per_page"],
    }
