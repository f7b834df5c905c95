"""Plans: create a quarter's sample (or daily/monthly checks), read them, replace an entry."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from server.api.base import PageArgs, db_id, paginate, plan_period_param, roles_required
from server.api.out import Computed, Day, Out, Timestamp
from server.models import ENTRY_STATES, PLAN_KINDS
from server.security import ANY_ROLE, MANAGER_ROLES
from server.services.calendar import workdays
from server.services.plans import plans as plan_service
from server.services.plans import replace as plan_replace
from server.services.plans.pack import dump_entry

blp = Blueprint("plans", __name__, url_prefix="/plans", description="Inspection plans")


def _plan_kind(value: str) -> None:
    """A plan kind; pre_meeting named apart, since its checks come from a meeting, not a plan."""
    if value == "pre_meeting":
        raise ma.ValidationError(
            "A pre-meeting check is not planned by period: it comes from a meeting "
            "(start it from the meeting, or as a pre-meeting visit on the phone)."
        )
    ma.validate.OneOf(PLAN_KINDS)(value)


class PlanIn(ma.Schema):
    kind = ma.fields.String(load_default="quarterly", validate=_plan_kind)
    period = ma.fields.String(
        required=True,
        metadata={
            "description": "2026Q1 (quarterly), 2026-03 (daily: every working day), 2026 (monthly)"
        },
    )
    size = ma.fields.Integer(
        validate=ma.validate.Range(min=1), metadata={"description": "quarterly only; 30 by default"}
    )
    seed = ma.fields.Integer(
        validate=ma.validate.Range(min=0, max=2**62),
        metadata={"description": "omit for a fresh random seed"},
    )
    replace = ma.fields.Boolean(
        load_default=False, metadata={"description": "replace an existing plan for the period"}
    )


class PlanQuery(PageArgs):
    kind = ma.fields.String(validate=ma.validate.OneOf(PLAN_KINDS))
    period = plan_period_param()
    include_replaced = ma.fields.Boolean(load_default=False)


class ReplaceIn(ma.Schema):
    site_code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    engineer_id = db_id(allow_none=True)
    force = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "accept breaking the four-quarter rotation for the replaced bureau"
        },
    )


class PlanOut(Out):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    period = ma.fields.String()
    seed = ma.fields.Integer()
    size = ma.fields.Integer()
    status = ma.fields.String()
    created_by_id = ma.fields.Integer(allow_none=True)
    created_at = Timestamp()
    updated_at = Timestamp()


class EntryOut(Out):
    id = ma.fields.Integer()
    plan_id = ma.fields.Integer()
    kind = ma.fields.String()
    period = ma.fields.String()
    site_code = ma.fields.String()
    site_name = ma.fields.String()
    prefecture = ma.fields.String()
    engineer_id = ma.fields.Integer(allow_none=True)
    engineer_name = ma.fields.String(allow_none=True)
    due_date = Day()
    position = ma.fields.Integer()
    state = ma.fields.String(metadata={"enum": list(ENTRY_STATES)})
    reason_code = ma.fields.String()
    required = ma.fields.Boolean()
    replaces_id = ma.fields.Integer(allow_none=True)
    replace_reason = ma.fields.String(allow_none=True)
    replaced_by_user_id = ma.fields.Integer(allow_none=True)
    replaced_at = Timestamp(allow_none=True)
    visited = ma.fields.Boolean()


class PlanDetail(PlanOut):
    calendar_warning = Computed(
        lambda plan: workdays.gap_warning((plan.notes or {}).get("calendar_gaps", [])),
        like=ma.fields.String(allow_none=True),
        metadata={"description": "daily plans of a year the calendar does not know"},
    )
    entries = Computed(
        lambda plan: [dump_entry(e) for e in plan.entries],
        like=ma.fields.List(ma.fields.Nested(EntryOut)),
    )


class PlanPage(Out):
    items = ma.fields.List(ma.fields.Nested(PlanOut))
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer()


@blp.route("", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(PlanIn)
@blp.response(201, PlanDetail)
def create_plan(args):
    """Make the plan for a period; a second plan for it is refused unless replace=true."""
    return plan_service.create_plan(user=current_user, **args)


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(PlanQuery, location="query")
@blp.response(200, PlanPage)
def list_plans(args):
    """Plans, newest period first; replaced plans only when asked."""
    page, per_page = args.pop("page"), args.pop("per_page")
    if args.get("period"):
        args["period"] = args["period"].upper()  # a quarter is stored as 2026Q1
    return paginate(plan_service.list_plans(**args), page, per_page)


@blp.route("/<int:plan_id>")
@roles_required(*ANY_ROLE)
@blp.response(200, PlanDetail)
def get_plan(plan_id):
    """One plan with all its entries, replaced ones included with their reasons."""
    return plan_service.get_plan(plan_id)


@blp.route("/<int:plan_id>/entries/<int:entry_id>/replace", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(ReplaceIn)
@blp.response(201, EntryOut)
def replace_entry(args, plan_id, entry_id):
    """Replace one planned site with another; the reason, who and when are kept."""
    entry = plan_replace.replace_entry(plan_id, entry_id, user=current_user, **args)
    return dump_entry(entry)
