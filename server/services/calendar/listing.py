"""The calendar of a period as the API and CLI show it: days, overrides, gaps and the warning."""

from __future__ import annotations

from datetime import date, timedelta

from server import periods
from server.errors import Invalid
from server.services.calendar import workdays


def override_dict(override) -> dict:
    return {
        "day": override.day,
        "is_working": override.is_working,
        "note": override.note,
        "set_by_id": override.set_by_id,
        "set_by_name": override.set_by.display_name if override.set_by else None,
        "created_at": override.created_at,
        "updated_at": override.updated_at,
    }


def describe(span: periods.Span) -> dict:
    """Every day of the span with its source, the overrides, the unknown years and the warning."""
    last = span.after - timedelta(days=1)
    facts = workdays.day_facts(span.first, last)
    gaps = workdays.calendar_gaps(span.first, last)
    first_year, last_year = workdays.library_years()
    return {
        "period": {"label": span.label, "from": span.first, "to": last},
        "library": {"name": "chinesecalendar", "first_year": first_year, "last_year": last_year},
        "gaps": gaps,
        "warning": workdays.gap_warning(gaps),
        "working_days": sum(f.working for f in facts),
        "days": [
            {
                "day": f.day,
                "weekday": f.day.isoweekday(),
                "working": f.working,
                "source": f.source,
                "holiday": f.holiday,
                "note": f.note,
            }
            for f in facts
        ],
        "overrides": [
            override_dict(o)
            for _, o in sorted(workdays.overrides_between(span.first, last).items())
        ],
    }


def parse_day(value: str, location: str = "path") -> date:
    """A day in a URL (YYYY-MM-DD); a 422 naming the form otherwise."""
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(
            f"'{value}' is not a day; write it as YYYY-MM-DD, e.g. 2027-02-06.",
            errors={location: {"day": ["expected YYYY-MM-DD"]}},
        ) from None
