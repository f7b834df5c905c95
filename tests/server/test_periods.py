"""Quarters, months and working days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from server import periods
from server.errors import Invalid


@pytest.mark.parametrize("value", ["2026Q0", "2026Q5", "26Q1", "2026-Q1", "Q1 2026", "", "1999Q1"])
def test_bad_quarters(value):
    with pytest.raises(Invalid) as info:
        periods.parse_quarter(value)
    assert "YYYYQn" in info.value.message


def test_quarter_arithmetic():
    assert periods.parse_quarter("2026q1") == (2026, 1)
    index = periods.quarter_index(2026, 1)
    assert periods.index_to_quarter(index - 1) == (2025, 4)
    assert periods.quarter_dates(2026, 4) == (date(2026, 10, 1), date(2027, 1, 1))


def test_quarter_of_uses_china_time():
    late = datetime(2026, 3, 31, 16, 30, tzinfo=UTC)  # 00:30 on 1 April in Guiyang
    assert periods.index_to_quarter(periods.quarter_of(late)) == (2026, 2)


def test_spans_are_cut_at_midnight_china_time():
    march = periods.month_span(2026, 3)
    assert (march.label, march.start.isoformat()) == ("2026-03", "2026-02-28T16:00:00+00:00")
    assert march.end == datetime(2026, 3, 31, 16, tzinfo=UTC)
    q4 = periods.quarter_span(2026, 4)
    assert (q4.label, q4.first, q4.after) == ("2026Q4", date(2026, 10, 1), date(2027, 1, 1))
    assert periods.year_span(2026).label == "2026"
    assert periods.current_month(datetime(2026, 3, 31, 16, 10, tzinfo=UTC)) == "2026-04"


def test_one_period_from_a_query():
    assert periods.query_span({"quarter": "2026q1"}).label == "2026Q1"
    assert periods.query_span({"year": "2026"}).after == date(2027, 1, 1)
    span = periods.query_span({"from": date(2026, 1, 1), "to": date(2026, 1, 31)})
    assert (span.label, span.after) == ("2026-01-01..2026-01-31", date(2026, 2, 1))
    default = periods.month_span(2026, 5)
    assert periods.query_span({}, default=default) is default


@pytest.mark.parametrize(
    "args, field",
    [
        ({}, "quarter"),
        ({"quarter": "2026-Q1"}, "quarter"),
        ({"month": "2026-13"}, "month"),
        ({"month": "2026-01", "quarter": "2026Q1"}, "month"),
        ({"to": date(2026, 1, 1)}, "from"),
        ({"from": date(2026, 1, 1), "to": date(2033, 1, 1)}, "to"),
    ],
)
def test_bad_periods_name_the_parameter(args, field):
    with pytest.raises(Invalid) as info:
        periods.query_span(args)
    assert list(info.value.errors["query"]) == [field]


def test_the_api_patterns_accept_what_the_parsers_accept():
    import re

    for value in ("2026Q1", "2026q4", "2000Q1", "2100Q4", "1999Q1", "2026-Q1", "2101Q1", "2026Q5"):
        ok = re.match(periods.QUARTER_PATTERN, value) is not None
        try:
            periods.parse_quarter(value)
            parsed = True
        except Invalid:
            parsed = False
        assert ok == parsed, value


@pytest.mark.parametrize(
    "text, label, first, last",
    [
        (None, "2025-01-01..2025-12-31", "2025-01-01", "2025-12-31"),
        ("term", "2025-01-01..2025-12-31", "2025-01-01", "2025-12-31"),
        ("2025", "2025", "2025-01-01", "2025-12-31"),
        ("2025q4", "2025Q4", "2025-10-01", "2025-12-31"),
        ("2025-02", "2025-02", "2025-02-01", "2025-02-28"),
        ("2025-03-05..2025-03-05", "2025-03-05..2025-03-05", "2025-03-05", "2025-03-05"),
    ],
)
def test_parse_period_reads_every_form(text, label, first, last):
    from datetime import date, timedelta

    from server.periods import parse_period

    span = parse_period(text)
    assert (span.label, span.first, span.after - timedelta(days=1)) == (
        label,
        date.fromisoformat(first),
        date.fromisoformat(last),
    )


@pytest.mark.parametrize(
    "text", ["2025-13", "2025Q5", "1999", "2025-03-02..2025-03-01", "2025-02-30..2025-03-01", "x"]
)
def test_parse_period_refuses_malformed_and_reversed_periods(text):
    from server.errors import Invalid
    from server.periods import parse_period

    with pytest.raises(Invalid) as refused:
        parse_period(text, "period", "json")
    assert refused.value.errors == {"json": {"period": refused.value.errors["json"]["period"]}}


@pytest.mark.parametrize(
    ("value", "first", "after"),
    [
        ("2025", date(2025, 1, 1), date(2026, 1, 1)),
        ("2025Q4", date(2025, 10, 1), date(2026, 1, 1)),
        ("2025q1", date(2025, 1, 1), date(2025, 4, 1)),
        ("2025-02", date(2025, 2, 1), date(2025, 3, 1)),
        ("2025-03-03..2025-03-09", date(2025, 3, 3), date(2025, 3, 10)),
        ("term", date(2025, 1, 1), date(2026, 1, 1)),
    ],
)
def test_any_period_in_one_string(value, first, after):
    span = periods.parse_period(value)
    assert (span.first, span.after) == (first, after)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2025-13", None),
        ("2025-Q1", None),
        ("last year", None),
        ("2025-03-09..2025-03-03", "reversed"),
        ("2025-02-30..2025-03-03", None),
    ],
)
def test_bad_one_string_periods_name_the_parameter(value, code):
    with pytest.raises(Invalid) as info:
        periods.parse_period(value, "period", "query")
    (messages,) = info.value.errors["query"].values()
    assert list(info.value.errors["query"]) == ["period"]
    if code:
        assert messages == [code]


def test_a_period_outside_the_contract_term_is_refused():
    inside = periods.within_term(periods.parse_period("2024-12-01..2025-01-31"), "period")
    assert (inside.first, inside.after) == (date(2025, 1, 1), date(2025, 2, 1))
    with pytest.raises(Invalid) as info:
        periods.within_term(periods.parse_period("2026Q1"), "period")
    assert info.value.errors == {"query": {"period": ["no_contract_days"]}}
