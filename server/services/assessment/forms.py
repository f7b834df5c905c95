"""Both scorecards of the contract's attachment 4 as data: each item with its maximum and its
rules (points, source, evidence, allowed range); shapes and readings in py."""

from __future__ import annotations

from server.services.assessment.rules import (
    MAJOR_EVENT_LAPSE_POINTS,
    MISSED_MONTHLY_POINTS,
    MISSED_QUARTERLY_POINTS,
    RESOLUTION_RATE_POINTS,
    Form,
    Item,
    Rule,
)
from server.services.assessment.rules import event_rule as _ev
from server.services.assessment.rules import records_rule as _rec
from server.services.assessment.software_form import SOFTWARE

AV = Form(
    "av",
    "服务考核表",
    "Service assessment",
    (
        Item(
            "daily_inspection",
            "日常巡检",
            "Daily inspection",
            10,
            (
                _rec("missed_daily_check", "未完成每日健康检查", "Missed daily check", -1),
                _rec(
                    "missed_monthly_inspection",
                    "未完成月度巡检",
                    "Missed monthly inspection",
                    MISSED_MONTHLY_POINTS,
                ),
                _rec(
                    "missed_quarterly_visit",
                    "季度抽检点位不足",
                    "Quarterly visit short of 30",
                    MISSED_QUARTERLY_POINTS,
                ),
                _ev(
                    "careless_check_outage",
                    "漏检或检查不细致致重大故障",
                    "Careless check let a major outage through",
                    -5,
                    True,
                ),
            ),
        ),
        Item(
            "service",
            "运维服务",
            "Service",
            30,
            (
                _rec(
                    "resolution_rate",
                    "故障解决率未达95%",
                    "Resolution rate not above 95 %",
                    RESOLUTION_RATE_POINTS,
                ),
                _ev(
                    "service_failure",
                    "服务失误",
                    "Service failure (by severity)",
                    None,
                    True,
                    low=-20,
                    high=-2,
                    choices=(-20, -10, -2),
                ),
                _ev("complaint", "投诉", "Complaint", -20, True),
                _ev("written_praise", "书面表扬", "Written praise", 10, True),
            ),
        ),
        Item(
            "emergency",
            "应急响应和故障处置",
            "Emergency response and fault handling",
            20,
            (
                Rule("late_response", "响应超时", "Late response", None, "records"),
                Rule(
                    "contractor_outage",
                    "乙方原因造成中断",
                    "Contractor-caused outage",
                    None,
                    "event_fault",
                    low=-1000,
                    high=0,
                ),
                _ev("unauthorised_change", "未经授权变更", "Unauthorised change", -20, True),
                _ev(
                    "help_outside_scope", "范围外关键协助", "Decisive help outside scope", 10, True
                ),
                _rec("meeting_incident", "会中故障记录", "In-meeting incidents", 0),
            ),
        ),
        Item(
            "major_events",
            "重大活动及节假日保障",
            "Major events and holidays",
            20,
            (
                _ev(
                    "major_event_bad_effect",
                    "保障不力造成不良影响",
                    "Weak support with a bad effect",
                    -10,
                    True,
                ),
                _ev("security_incident", "安全事故", "Security incident", -20, True),
                _rec(
                    "guarantee_meeting",
                    "保障会议记录",
                    "Guarantee meeting records",
                    MAJOR_EVENT_LAPSE_POINTS,
                ),
            ),
        ),
        Item(
            "communication",
            "沟通协调",
            "Communication",
            10,
            (
                _ev(
                    "communication_incident",
                    "沟通协调问题",
                    "Communication incident",
                    None,
                    low=-5,
                    high=-1,
                    choices=(-5, -2, -1),
                ),
            ),
        ),
        Item(
            "attitude",
            "工作态度",
            "Attitude",
            10,
            (
                _ev("late_or_inaccurate", "不及时或不准确", "Late or inaccurate", -1),
                _ev("no_response_30min", "30分钟内未响应", "No response within 30 min", -2),
                _ev("refused", "推诿拒绝", "Refused", -5, True),
            ),
        ),
    ),
)

FORMS: dict[str, Form] = {AV.code: AV, SOFTWARE.code: SOFTWARE}


def find_rule(form: str, item: str, rule: str) -> tuple[Form | None, Item | None, Rule | None]:
    """The form, item and rule named by codes (None for the first one that does not exist)."""
    the_form = FORMS.get(form)
    the_item = the_form.item(item) if the_form else None
    found = next((r for r in the_item.rules if r.code == rule), None) if the_item else None
    return the_form, the_item, found
