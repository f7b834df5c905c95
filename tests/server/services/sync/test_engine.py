"""The sync engine's pure parts: content hash and cursors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from server.services.sync.envelope import content_hash
from server.services.sync.pull import make_cursor, parse_cursor

RECORD = {
    "type": "visit",
    "client_time": datetime(2026, 11, 24, 13, 0, tzinfo=timezone(timedelta(hours=8))),
    "position": {"lat": 26.6, "lon": 106.7, "accuracy": 5.0},
    "data": {"site_code": "520000", "inspection_kind": "quarterly"},
}


def test_content_hash_ignores_key_order_offset_and_app_version():
    same_instant_utc = dict(RECORD, client_time=RECORD["client_time"].astimezone(UTC))
    reordered = {
        "data": {"inspection_kind": "quarterly", "site_code": "520000"},
        "type": "visit",
        "position": RECORD["position"],
        "client_time": RECORD["client_time"],
        "app_version": "9.9",
    }
    assert content_hash(RECORD) == content_hash(same_instant_utc) == content_hash(reordered)


def test_content_hash_sees_any_change_of_what_was_recorded():
    changed = dict(RECORD, data=dict(RECORD["data"], inspection_kind="daily"))
    moved = dict(RECORD, position={"lat": 26.7, "lon": 106.7, "accuracy": 5.0})
    assert len({content_hash(RECORD), content_hash(changed), content_hash(moved)}) == 3


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.just(UTC),
    )
)
@example(datetime(2038, 2, 1, 0, 0, 0, 2000, tzinfo=UTC))  # float timestamp() lost 1 ms
def test_cursor_round_trips_to_the_millisecond(moment):
    assert abs(parse_cursor(make_cursor(moment)) - moment) < timedelta(milliseconds=1)


@pytest.mark.parametrize(
    "cursor", [None, "", "garbage", "t1.", "t1.abc", "t1.99999999999999999999"]
)
def test_cursors_not_understood_mean_a_full_pack(cursor):
    assert parse_cursor(cursor) is None
