"""服务考核表: both scorecards of the contract's attachment 4, filled from the assessment.

The scorer lives in server/services/assessment/ (another module); this one only lays its
answer out. The provider is `assessment_context(first, after)` with China-time dates, `after`
exclusive, returning the shape docs/reports.md describes (forms -> items -> deductions ->
records). It is looked up on first use, or set with `set_provider` (tests, wiring at merge).
"""

from __future__ import annotations

from collections.abc import Callable

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
    try:
        from server.services.assessment import assessment_context  # type: ignore[attr-defined]
    except ImportError:
        return None  # not merged yet: the report list says the form is not available
    return assessment_context


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
