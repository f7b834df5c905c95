"""Faults: raise, list, read with running clocks, add steps, close; breaches and period stats."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from server import periods
from server.api.base import (
    PageArgs,
    QueryArgs,
    month_param,
    paginate,
    quarter_param,
    roles_required,
    year_param,
)
from server.api.schemas_faults import BreachesOut, FaultDetail, FaultPage, FaultStatsOut
from server.extensions import db
from server.models import FAULT_SEVERITIES, FAULT_SOURCES, FAULT_STEPS, User
from server.security import ANY_ROLE, FIELD_ROLES, MANAGER_ROLES
from server.services.faults import assignment, comments
from server.services.faults import lifecycle as fault_service
from server.services.faults import reports as fault_reports
from server.services.faults.records import FaultStepData, dump_fault
from server.services.presence import records as presence

blp = Blueprint("faults", __name__, url_prefix="/faults", description="Faults and their SLA clocks")


class FaultIn(ma.Schema):
    tag = ma.fields.String(required=True)
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=4000))
    reported_at = ma.fields.AwareDateTime(
        metadata={"description": "when the site reported it; default now"}
    )
    severity = ma.fields.String(load_default="major", validate=ma.validate.OneOf(FAULT_SEVERITIES))
    urgent_meeting = ma.fields.Boolean(load_default=False)
    source = ma.fields.String(
        validate=ma.validate.OneOf(FAULT_SOURCES),
        metadata={
            "description": "phone: a supervisor taking a call (default for supervisors and admins); "
            "field: raised on site (default for engineers)"
        },
    )
    photos = ma.fields.List(
        ma.fields.String(validate=ma.validate.Regexp(r"^[0-9a-f]{64}$")), load_default=list
    )
    uuid = ma.fields.UUID(metadata={"description": "client-made id; default a new one"})


class FaultStepIn(FaultStepData):
    class Meta:
        exclude = ("fault_uuid", "fault_id")

    at = ma.fields.AwareDateTime(metadata={"description": "default now"})


class FaultCloseIn(ma.Schema):
    resolution = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=4000))
    at = ma.fields.AwareDateTime()
    note = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=4000))


class FaultAssignIn(ma.Schema):
    user_id = ma.fields.Integer(
        required=True,
        allow_none=True,
        validate=ma.validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "an active engineer; null takes the fault back"},
    )
    note = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=4000))


class FaultQuery(PageArgs):
    state = ma.fields.String(validate=ma.validate.OneOf(FAULT_STEPS))
    open = ma.fields.Boolean(load_default=False)
    assignee = ma.fields.String(
        validate=ma.validate.Regexp(r"^(me|[1-9][0-9]{0,8})$", error="a user id or 'me'"),
        metadata={"description": "faults assigned to this user id, or to me"},
    )
    site = ma.fields.String()
    tag = ma.fields.String()
    month = month_param("faults reported in that month")


class FaultPeriodQuery(QueryArgs):
    """One period (default: the current month): a month, a quarter, a year, or from and to."""

    month = month_param("default: the current month")
    quarter = quarter_param()
    year = year_param()
    from_ = ma.fields.Date(
        data_key="from", metadata={"description": "first day (inclusive), with to"}
    )
    to = ma.fields.Date(metadata={"description": "last day (inclusive), with from"})


def _person(user) -> dict | None:
    return None if user is None else {"id": user.id, "display_name": user.display_name}


def fault_view(fault, with_steps: bool = False) -> dict:
    data = {
        **dump_fault(fault),
        "source": fault.source,
        "tag_source": fault.tag_source,
        "presence": presence.of_fault(fault),
        "photos": fault.photos,
        "created_by": fault.user_id,
        "client_time": fault.client_time.isoformat(),
        "server_time": fault.server_time.isoformat(),
        "clocks": fault_service.clocks_of(fault),
        "assignee": _person(fault.assignee),
    }
    if with_steps:
        data["steps"] = [
            {
                "id": s.id,
                "step": s.step,
                "at": s.at.isoformat(),
                "server_time": s.server_time.isoformat(),
                "user_id": s.user_id,
                "user": _person(db.session.get(User, s.user_id) if s.user_id else None),
                "note": s.note,
                "assignee": _person(db.session.get(User, s.assignee_id) if s.assignee_id else None),
                "level": s.level,
                "tier": s.tier,
            }
            for s in fault.steps
        ]
        data["comments"] = [comments.dump_comment(c) for c in comments.comments_of(fault)]
    return data


def _period(args: dict) -> periods.Span:
    """The period of the query (one of month, quarter, year, from and to); the current month if none."""
    args = {**args, "from": args.get("from_")}
    now = periods.local_day(fault_service.current_time())
    return periods.query_span(args, default=periods.month_span(now.year, now.month))


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(FaultQuery, location="query")
@blp.response(200, FaultPage)
def list_faults(args):
    """Faults, newest report first, each with its running clocks; filter by state, open, site, tag,
    month, assignee."""
    page, per_page = args.pop("page"), args.pop("per_page")
    start = end = None
    if args.get("month"):
        span = _period({"month": args["month"]})
        start, end = span.start, span.end
    query = fault_reports.list_query(
        state=args.get("state"),
        open_only=args["open"],
        site=args.get("site"),
        tag=args.get("tag"),
        start=start,
        end=end,
    )
    if args.get("assignee"):
        query = query.where(assignment.assignee_filter(args["assignee"], current_user))
    result = paginate(query, page, per_page)
    items = presence.annotate_faults(list(result["items"]))
    return {**result, "items": [fault_view(f) for f in items]}


@blp.route("", methods=["POST"])
@roles_required(*FIELD_ROLES)
@blp.arguments(FaultIn)
@blp.response(201, FaultDetail)
def create_fault(args):
    """Raise a fault; source 'phone' (a supervisor taking a call) needs a supervisor or admin."""
    reported_at = args.pop("reported_at", None) or fault_service.current_time()
    args.setdefault("source", "phone" if current_user.role in MANAGER_ROLES else "field")
    if "uuid" in args:
        args["uuid"] = str(args["uuid"])
    fault = fault_service.create_fault(user=current_user, reported_at=reported_at, **args)
    return fault_view(fault, with_steps=True), 201


@blp.route("/<int:fault_id>")
@roles_required(*ANY_ROLE)
@blp.response(200, FaultDetail)
def get_fault(fault_id):
    """One fault with its steps (who, phone time, server time) and running clocks."""
    return fault_view(fault_service.get_fault(fault_id), with_steps=True)


@blp.route("/<int:fault_id>/steps", methods=["POST"])
@roles_required(*FIELD_ROLES)
@blp.arguments(FaultStepIn)
@blp.response(201, FaultDetail)
def add_step(args, fault_id):
    """Record responded / diagnosing / spare_installed / resolved (resolved needs a resolution)."""
    fault = fault_service.get_fault(fault_id)
    at = args.pop("at", None) or fault_service.current_time()
    fault_service.add_step(fault, args.pop("step"), at, current_user, **args)
    return fault_view(fault, with_steps=True), 201


@blp.route("/<int:fault_id>/close", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(FaultCloseIn)
@blp.response(200, FaultDetail)
def close_fault(args, fault_id):
    """Close a fault; it must have a resolution (given here or recorded when resolved)."""
    fault = fault_service.close_fault(fault_service.get_fault(fault_id), current_user, **args)
    return fault_view(fault, with_steps=True)


@blp.route("/<int:fault_id>/assign", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(FaultAssignIn)
@blp.response(200, FaultDetail)
def assign_fault(args, fault_id):
    """Assign the fault to an active engineer (null: nobody); an `assigned` step records it."""
    fault = fault_service.get_fault(fault_id)
    return fault_view(
        assignment.assign(fault, args["user_id"], current_user, args.get("note")), True
    )


def _brief(fault, names) -> dict:
    return {
        "id": fault.id,
        "tag": fault.device.tag,
        "site_id": fault.site_id,
        "state": fault.state,
        "severity": fault.severity,
        "urgent_meeting": fault.urgent_meeting,
        "reported_at": fault.reported_at.isoformat(),
        "clocks": names,
        "clock_states": fault_service.clocks_of(fault),
    }


@blp.route("/breaches")
@roles_required(*ANY_ROLE)
@blp.arguments(FaultPeriodQuery, location="query")
@blp.response(200, BreachesOut)
def list_breaches(args):
    """Faults of the period (and every open one) whose clocks breached or are about to."""
    span = _period(args)
    found = fault_reports.breaches(span.start, span.end)
    return {
        "period": span.label,
        "now": fault_service.current_time().isoformat(),
        "breached": [_brief(f, names) for f, names in found["breached"]],
        "about_to_breach": [_brief(f, names) for f, names in found["about_to_breach"]],
    }


@blp.route("/stats")
@roles_required(*ANY_ROLE)
@blp.arguments(FaultPeriodQuery, location="query")
@blp.response(200, FaultStatsOut)
def fault_stats(args):
    """Resolution rate, per-clock counts, response bands and the deduction estimate of a month,
    quarter, year or date range (faults reported in it)."""
    span = _period(args)
    return {
        "period": span.label,
        "start": span.start.isoformat(),
        "end": span.end.isoformat(),
        "now": fault_service.current_time().isoformat(),
        **fault_reports.stats(span.start, span.end),
    }
