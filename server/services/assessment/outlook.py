"""For the current period: where the score is heading, and what this month can still cost.

Projection: every line's deductions so far, scaled linearly from the days that are over to
the whole period (bonuses are not extrapolated). At risk this month: the daily checks still
owed (today included), this month's monthly inspection and report when not done yet, and the
worst response band of each open fault not yet answered, each capped by what its line still
has.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from server import periods
from server.services.assessment import fault_points, records, rules
from server.services.calendar.workdays import working_days
from server.services.faults import lifecycle as fault_service
from server.services.faults import sla


def projection(result, today: date) -> dict:
    over = (today - result.first).days
    whole = (result.last - result.first).days + 1
    factor = whole / over if over > 0 else 1.0
    forms = {}
    for form in result.forms:
        total = 0
        for line in form.lines:
            if line.zeroed:
                continue
            taken = sum(f.points for f in line.deductions) * factor
            given = sum(f.points for f in line.bonuses)
            total += max(0, round(line.max_points + taken + given))
        forms[form.code] = {"total": total, "passed": total >= form.pass_mark}
    lowest = min(f["total"] for f in forms.values())
    return {
        "days_over": over,
        "days": whole,
        "forms": forms,
        "total": lowest,
        "passed": lowest >= rules.PASS_MARK,
    }


def _month_left(result, today: date) -> tuple[date, date]:
    month_first, after = periods.month_dates(today.year, today.month)
    return max(today, result.first), min(after - timedelta(days=1), result.last)


def at_risk(result, today: date, now: datetime) -> dict:
    first, last = _month_left(result, today)
    month_first, after = periods.month_dates(today.year, today.month)
    risks: list[dict] = []
    days = [d for d in working_days(first, last)] if first <= last else []
    if days:
        risks.append(
            {
                "form": "av",
                "item": "daily_inspection",
                "rule": "missed_daily_check",
                "points": -len(days),
                "what": f"{len(days)} daily checks still owed this month",
            }
        )
    month_last = after - timedelta(days=1)
    if result.first <= month_last <= result.last:
        done = records.missed_monthly(month_first, month_last, month_last + timedelta(days=1))
        for finding in done:
            risks.append(
                {
                    "form": finding.form,
                    "item": finding.item,
                    "rule": finding.rule,
                    "points": finding.points,
                    "what": finding.what,
                }
            )
    start, end = periods.day_start(result.first), periods.day_start(result.last + timedelta(days=1))
    for fault in fault_points.period_faults(start, end):
        if fault.responded_at is None:
            current = sla.response_clock(fault_service.times_of(fault), now).deduction
            worst = rules.RESPONSE_BANDS[-1][1]
            if worst < current:
                risks.append(
                    {
                        "form": "av",
                        "item": "emergency",
                        "rule": "late_response",
                        "points": worst - current,
                        "what": f"fault #{fault.id} not answered yet",
                    }
                )
    return {
        "month": f"{today.year}-{today.month:02d}",
        "items": risks,
        "points": _capped(result, risks),
    }


def _capped(result, risks: list[dict]) -> int:
    """The sum of the risks, no line losing more than it still has."""
    left = {
        (form.code, line.code): (0 if line.zeroed else line.score)
        for form in result.forms
        for line in form.lines
    }
    total = 0
    for risk in risks:
        key = (risk["form"], risk["item"])
        take = min(-risk["points"], left[key])
        left[key] -= take
        total += take
    return total
