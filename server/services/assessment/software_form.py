"""The software O&M scorecard of attachment 4 (服务考核表（软件运维考核）) as data."""

from __future__ import annotations

from server.services.assessment.rules import (
    FAILED_RESTORE_CHECK_POINTS,
    MISSED_BACKUP_CYCLE_POINTS,
    Form,
    Item,
)
from server.services.assessment.rules import event_rule as _ev
from server.services.assessment.rules import records_rule as _rec

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
                _rec(
                    "backup_cycle_missed",
                    "每日备份未生成（系统备份记录）",
                    "Daily backup not made (backup records)",
                    MISSED_BACKUP_CYCLE_POINTS,
                ),
                _rec(
                    "backup_restore_failed",
                    "备份未通过恢复验证（系统备份记录）",
                    "Backup failed its restore check (backup records)",
                    FAILED_RESTORE_CHECK_POINTS,
                ),
                # The events stay for key data kept outside xunjian's own backups.
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
