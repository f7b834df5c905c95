"""A hand-built assessment context in the shape docs/reports.md defines (the scorer's answer)."""


def _item(category, points, score, deductions=(), reason=None):
    return {
        "category": category,
        "points": points,
        "score": score,
        "reason": reason,
        "deductions": list(deductions),
    }


def hand_built() -> dict:
    missed = {
        "points": -1,
        "rule": "未完成每日健康检查",
        "date": "2025-03-04",
        "summary": "工作日没有完成的日常检查",
        "records": [{"kind": "plan_entry", "id": 17, "label": "2025-03-04 无日常检查记录"}],
    }
    praise = {
        "points": 10,
        "rule": "书面表扬",
        "date": "2025-06-01",
        "summary": "省局办公室表扬信",
        "records": [{"kind": "assessment_event", "id": 3, "label": "表扬信 PDF（事件 3）"}],
    }
    return {
        "forms": [
            {
                "key": "service",
                "title": "服务考核表",
                "total": 100,
                "pass_mark": 80,
                "score": 99,
                "items": [
                    _item("日常巡检", 10, 9, [missed]),
                    _item(
                        "运维服务",
                        30,
                        30,
                        [praise],
                        reason="书面表扬 +10（封顶前 40 分，按 30 计）",
                    ),
                    _item("应急响应和故障处置", 20, 20),
                    _item("重大活动及节假日保障", 20, 20),
                    _item("沟通协调", 10, 10),
                    _item("工作态度", 10, 10),
                ],
            },
            {
                "key": "software",
                "title": "服务考核表（软件运维考核）",
                "total": 100,
                "pass_mark": 80,
                "score": 100,
                "items": [_item("系统监控与巡检", 15, 15), _item("服务响应与SLA", 30, 30)],
            },
        ],
        "money": {"summary": "得分 99，履约保证金全额退还。"},
    }
