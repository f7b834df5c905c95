"""The daily plan's part of a coverage answer: the working days owed, checked and missed."""

from __future__ import annotations

from datetime import timedelta

from server.services.coverage.scope import LIST_LIMIT, Scope


def daily_checks(scope: Scope, rows: list[dict]) -> dict | None:
    """Daily plans owe one check per working day: count the days, not the one bureau."""
    if scope.kind != "daily" or not any(r["tier"] == "province" for r in rows):
        return None
    from server.services.calendar import daily_checks, workdays

    ledger = daily_checks.daily_ledger(scope.start, scope.end - timedelta(days=1))
    return {
        **ledger.counts(),
        "missed": [
            {"day": m.day.isoformat(), "plan_entry_id": m.plan_entry_id}
            for m in ledger.missed[:LIST_LIMIT]
        ],
        "gaps": ledger.gaps,
        "warning": workdays.gap_warning(ledger.gaps),
    }
