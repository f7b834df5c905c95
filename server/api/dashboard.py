"""The office dashboard: one answer with today's tiles and a period's trends."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from server import periods
from server.api.base import QueryArgs, roles_required
from server.api.schemas_dashboard import DashboardOut
from server.security import AUDIT_READERS, MANAGER_ROLES
from server.services.assessment.term import contract_term
from server.services.dashboard import now as tiles
from server.services.dashboard import trends
from server.services.faults import lifecycle

blp = Blueprint("dashboard", __name__, url_prefix="/dashboard", description="The office dashboard")


class DashboardQuery(QueryArgs):
    period = ma.fields.String(
        validate=ma.validate.Length(max=32),
        metadata={
            "description": "the trends' period: 2025, 2025Q4, 2025-01-01..2025-12-31 or term; "
            "default the last 12 months"
        },
    )


@blp.route("")
@roles_required(*AUDIT_READERS)
@blp.arguments(DashboardQuery, location="query")
@blp.response(200, DashboardOut)
def get_dashboard(args):
    """Today's daily check, open faults and their clocks, the quarter's plan, overdue bureaus,
    spare warnings, review queues (managers), the assessment projection, the week's meetings
    and the trends."""
    now = lifecycle.current_time()
    today = periods.local_day(now)
    if args.get("period"):
        span = periods.parse_period(args["period"], term=contract_term())
    else:
        span = trends.last_months(today)
    plan, overdue = tiles.plan_and_overdue(today)
    return {
        "now": now,
        "today": today,
        "daily_check": tiles.daily_today(today),
        "faults": tiles.open_faults(now),
        "plan": plan,
        "overdue": overdue,
        "spares": tiles.spare_warnings(),
        "review": tiles.review_counts() if current_user.role in MANAGER_ROLES else None,
        "assessment": tiles.assessment_now(contract_term(), now),
        "meetings": tiles.coming_meetings(now),
        "trends": trends.trends(span, today, now),
    }
