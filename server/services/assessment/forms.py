"""Both scorecards of the contract's attachment 4 as data: each item with its maximum and its
rules (points, source, evidence, allowed range); shapes and readings in py."""

from __future__ import annotations

from server.services.assessment.rules import (
    MISSED_MONTHLY_POINTS,
    MISSED_QUARTERLY_POINTS,
    RESOLUTION_RATE_POINTS,
    Form,
    Item,
    Rule,
)


def _ev(code, zh, en, points, evidence=False, **kw) -> Rule:
    return Rule(code, zh, en, points, "event", evidence, **kw)


def _rec(code, zh, en, points) -> Rule:
    return Rule(code, zh, en, points, "records")


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

SOFTWARE = Form(
    "software",
    "服务考核表（软件运维考核）",
    "Software O&M assessment",
    (
        Item(
            "monitoring",
            "系统监控与巡检",
            "Monitoring and inspection",
            15,
            (
                _ev(
                    "hidden_danger_outage",
                    "重大隐患未发现致故障",
                    "Major hidden danger caused a failure",
                    -5,
                    True,
                ),
            ),
        ),
        Item(
            "sla",
            "服务响应与SLA",
            "Service response and SLA",
            30,
            (
                _rec(
                    "sla_miss",
                    "未达SLA（响应>15分钟或解决>2小时）",
                    "SLA miss (response > 15 min or resolution > 2 h)",
                    -5,
                ),
                _ev(
                    "slow_service_complaint",
                    "服务不及时被投诉",
                    "Complaint about slow service",
                    -10,
                    True,
                ),
                _ev("written_praise", "书面表扬", "Written praise", 10, True),
                _ev(
                    "ops_mistake_outage",
                    "运维失误致数据丢失或业务中断",
                    "Data loss or interruption from an operations mistake",
                    -20,
                    True,
                ),
            ),
        ),
        Item(
            "emergency",
            "故障应急处理",
            "Fault emergency handling",
            25,
            (
                _ev(
                    "late_response_level",
                    "故障响应超时（一级>15分钟，二级>30分钟）",
                    "Late response (level 1 > 15 min, level 2 > 30 min)",
                    None,
                    low=-10,
                    high=-5,
                ),
                _ev(
                    "unapproved_production_change",
                    "未经用户批准变更生产环境",
                    "Production change without approval",
                    -15,
                    True,
                ),
                _ev(
                    "help_outside_duties",
                    "职责外故障协助",
                    "Help with a fault outside the duties",
                    5,
                    True,
                ),
            ),
        ),
        Item(
            "change",
            "版本与变更管理",
            "Version and change management",
            10,
            (
                _ev(
                    "untested_release",
                    "未测试或未审批发布",
                    "Release without test or approval",
                    -10,
                    True,
                ),
                _ev("rollback_no_trace", "回退未留痕", "Rollback left without a trace", -3),
                _ev(
                    "broken_change_recovered",
                    "变更致故障但已恢复",
                    "Change broke the system, recovered",
                    -5,
                ),
            ),
        ),
        Item(
            "backup",
            "数据安全与备份",
            "Data security and backup",
            10,
            (
                _ev("missed_backup", "关键数据备份周期缺失", "Missed backup cycle", -5),
                _ev(
                    "restore_check_failed", "备份无法恢复验证", "Backup failed a restore check", -8
                ),
                _ev("data_leak", "数据泄露", "Data leak (the item is 0)", 0, True, zero_item=True),
            ),
        ),
        Item(
            "documentation",
            "文档与知识传递",
            "Documentation and knowledge transfer",
            5,
            (
                _ev(
                    "stale_document",
                    "运维文档未及时更新",
                    "Operations document not kept up to date",
                    -2,
                ),
                _ev(
                    "missing_training",
                    "缺少用户培训或培训报告",
                    "Missing training or training report",
                    -3,
                ),
            ),
        ),
        Item(
            "communication",
            "沟通协作",
            "Communication",
            5,
            (
                _rec("missed_monthly_report", "缺少月度报告", "Missing monthly report", -1),
                _ev("missing_weekly_report", "缺少周报", "Missing weekly report", -1),
                _ev("refused_task", "推诿跨部门任务", "Cross-department task pushed away", -3),
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
