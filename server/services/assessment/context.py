"""The assessment ready for a template (the report PDF of attachment 4): plain values only,
dates and money already formatted in Chinese, an appendix of every point's records, and the
two signature blocks. docs/assessment.md lists the keys."""

from __future__ import annotations

from datetime import date, datetime

from server import periods
from server.services.assessment.scorer import assess
from server.services.assessment.view import to_dict

SIGNATURES = (
    {
        "party": "建设单位",
        "statement": "我单位已按合同完成各项服务，申请考核。",
        "fields": ["单位（盖章）", "项目负责人", "日期"],
    },
    {"party": "用户单位", "statement": "考核意见：", "fields": ["单位（盖章）", "代表", "日期"]},
)


def zh_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def yuan(amount: int) -> str:
    return f"¥{amount:,}"


def _point(form: dict, line: dict, finding: dict) -> dict:
    return {
        "form": form["name_zh"],
        "item": line["name_zh"],
        "rule": finding["rule_zh"],
        "points": finding["points"],
        "points_text": f"{finding['points']:+d}",
        "on": zh_date(finding["on"]),
        "what": finding["what_zh"],
        "records": [{"label": x["label"], "url": x["url"]} for x in finding["links"]],
    }


def _reasons(line: dict) -> str:
    """The form's 'reason' cell: each rule that moved the line, with its count and points."""
    counts: dict[str, list[int]] = {}
    for finding in line["deductions"] + line["bonuses"]:
        counts.setdefault(finding["rule_zh"], []).append(finding["points"])
    return "；".join(f"{name} {len(p)} 次 {sum(p):+d}" for name, p in counts.items())


def assessment_context(start: date, end: date, now: datetime | None = None) -> dict:
    """Everything the assessment-form template needs for the days start..end (inclusive)."""
    body = to_dict(assess(start, end, now=now))
    forms, appendix = [], []
    for form in body["forms"]:
        lines = []
        for line in form["lines"]:
            lines.append({**line, "reasons": _reasons(line)})
            for finding in line["deductions"] + line["bonuses"]:
                appendix.append(_point(form, line, finding))
        forms.append({**form, "lines": lines, "verdict": "合格" if form["passed"] else "不合格"})
    money = body["money"]
    period = body["period"]
    return {
        **body,
        "forms": forms,
        "appendix": appendix,
        "signatures": list(SIGNATURES),
        "period_text": f"{zh_date(period['first'])}至{zh_date(period['last'])}",
        "as_of_text": zh_date(periods.local_day(body["as_of"])),
        "money_text": {
            key: yuan(money[key])
            for key in ("contract_value", "deposit", "deposit_forfeited", "deposit_returned")
        }
        | {"final_payment": yuan(money["final_payment"]), "at_stake": yuan(money["at_stake"])},
    }
