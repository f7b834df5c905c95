"""服务考核表: both scorecards of the contract's attachment 4, filled from the assessment.

The scorer lives in server/services/assessment/ (another module); this one only lays its
answer out. The provider is `assessment_context(first, after)` with China-time dates, `after`
exclusive, returning the shape docs/reports.md describes (forms -> items -> deductions ->
records). It is looked up on first use, or set with `set_provider` (tests, wiring at merge).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from server import periods
from server.services.reports import common

TITLE = "服务考核表"
KIND = "assessment"
_provider: Callable | None = None


def set_provider(provider: Callable | None) -> None:
    """Use this function for the scores (None: look up server.services.assessment again)."""
    global _provider
    _provider = provider


def provider() -> Callable | None:
    if _provider is not None:
        return _provider
    return scored_forms


def scored_forms(first: date, after: date) -> dict:
    """The scorer's template context (server/services/assessment/context.py) in this report's
    shape (docs/reports.md): forms -> items -> deductions and bonuses -> records."""
    from server.services.assessment.context import assessment_context

    scores = assessment_context(first, after - timedelta(days=1))
    forms = [
        {
            "key": form["code"],
            "title": form["name_zh"],
            "total": form["max_points"],
            "pass_mark": form["pass_mark"],
            "score": form["total"],
            "items": [_item(line) for line in form["lines"]],
        }
        for form in scores["forms"]
    ]
    return {"forms": forms, "money": {"summary": _money_summary(scores)}}


def _item(line: dict) -> dict:
    return {
        "category": line["name_zh"],
        "points": line["max_points"],
        "score": line["score"],
        "reason": line.get("reasons") or None,
        "deductions": [
            {
                "points": finding["points"],
                "rule": finding["rule_zh"],
                "date": finding["on"].isoformat() if finding.get("on") else None,
                "summary": finding["what_zh"],
                "records": [{"label": link["label"]} for link in finding["links"]],
            }
            for finding in line["deductions"] + line["bonuses"]
        ],
    }


def _money_summary(scores: dict) -> str:
    money = scores["money_text"]
    verdict = "合格" if scores["passed"] else "不合格"
    return (
        f"考核得分 {scores['total']}（{verdict}）。履约保证金 {money['deposit']}，"
        f"退还 {money['deposit_returned']}，扣留 {money['deposit_forfeited']}；"
        f"尾款 {money['final_payment']}。"
    )


def available() -> tuple[bool, str | None]:
    if provider() is None:
        return False, "考核评分模块尚未启用，考核表暂不可生成。"
    return True, None


def _deductions(forms: list[dict]) -> list[dict]:
    """Every deduction and bonus of every form, in form and item order, for the appendix."""
    found = []
    for form in forms:
        for item in form.get("items", []):
            for line in item.get("deductions", []):
                found.append({"form": form["title"], "category": item["category"], **line})
    return found


def context(span: periods.Span) -> dict:
    scores = provider()(span.first, span.after)
    forms = scores.get("forms", [])
    return {
        **common.header(TITLE, span),
        "forms": forms,
        "money": scores.get("money"),
        "appendix": _deductions(forms),
        "empty": not forms,
    }
