"""The working-day calendar: days of a period with their source and gap warnings; admin overrides."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from server import periods
from server.api.base import QueryArgs, month_param, quarter_param, roles_required, year_param
from server.api.out import Day, Out, Timestamp
from server.models import utcnow
from server.security import ADMIN_ROLES, ANY_ROLE
from server.services.calendar import listing, overrides, workdays

blp = Blueprint("calendar", __name__, url_prefix="/calendar", description="Working-day calendar")


class CalendarQueryArgs(QueryArgs):
    year = year_param("or month, quarter, from and to")
    month = month_param()
    quarter = quarter_param()
    from_ = ma.fields.Date(data_key="from", metadata={"description": "first day (inclusive)"})
    to = ma.fields.Date(metadata={"description": "last day (inclusive)"})


class CalendarOverrideIn(ma.Schema):
    is_working = ma.fields.Boolean(required=True)
    note = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class CalendarPeriodOut(Out):
    label = ma.fields.String()
    from_ = Day(data_key="from", attribute="from")
    to = Day()


class CalendarLibraryOut(Out):
    name = ma.fields.String()
    first_year = ma.fields.Integer()
    last_year = ma.fields.Integer()


class CalendarDayOut(Out):
    day = Day()
    weekday = ma.fields.Integer(metadata={"description": "1 = Monday ... 7 = Sunday"})
    working = ma.fields.Boolean()
    source = ma.fields.String(metadata={"enum": list(workdays.SOURCES)})
    holiday = ma.fields.String(
        allow_none=True,
        metadata={"description": "the library's holiday code, e.g. spring_festival"},
    )
    note = ma.fields.String(allow_none=True)


class CalendarOverrideOut(Out):
    day = Day()
    is_working = ma.fields.Boolean()
    note = ma.fields.String()
    set_by_id = ma.fields.Integer(allow_none=True)
    set_by_name = ma.fields.String(allow_none=True)
    created_at = Timestamp()
    updated_at = Timestamp()


class CalendarOut(Out):
    period = ma.fields.Nested(CalendarPeriodOut)
    library = ma.fields.Nested(CalendarLibraryOut)
    gaps = ma.fields.List(
        ma.fields.Integer(),
        metadata={"description": "years the library does not know and no override covers"},
    )
    warning = ma.fields.String(allow_none=True)
    working_days = ma.fields.Integer()
    days = ma.fields.List(ma.fields.Nested(CalendarDayOut))
    overrides = ma.fields.List(ma.fields.Nested(CalendarOverrideOut))


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(CalendarQueryArgs, location="query")
@blp.response(200, CalendarOut)
def get_calendar(args):
    """The days of a period (default: this year) with their source, and any gap warning."""
    args = dict(args)
    args["from"] = args.pop("from_", None)
    this_year = periods.local_day(utcnow()).year
    span = periods.query_span(args, default=periods.year_span(this_year))
    return listing.describe(span)


@blp.route("/overrides/<day>", methods=["PUT"])
@roles_required(*ADMIN_ROLES)
@blp.arguments(CalendarOverrideIn)
@blp.response(200, CalendarOverrideOut)
def put_override(args, day):
    """Declare a day working or not (admin); the note says why, the audit log keeps who."""
    override = overrides.set_override(listing.parse_day(day), user=current_user, **args)
    return listing.override_dict(override)


@blp.route("/overrides/<day>", methods=["DELETE"])
@roles_required(*ADMIN_ROLES)
@blp.response(204)
def delete_override(day):
    """Remove a day's override (admin): the library answers for it again."""
    overrides.delete_override(listing.parse_day(day))
