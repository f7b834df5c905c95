"""What docs/sync.md promises a third-party client about retries and UUIDs (issue 11)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests import sync_records as rec
from tests.server.api.test_sync import push


def test_a_retry_with_a_refreshed_sent_at_is_a_duplicate_and_not_skewed(reference_data, auth):
    """sent_at is the batch's, outside every record's content hash: refresh it at each send."""
    engineer = auth("engineer")
    records = [rec.visit("520000")]
    first = push(engineer, records, sent_at=datetime.now(UTC).isoformat()).get_json()
    retry = push(engineer, records, sent_at=(datetime.now(UTC)).isoformat()).get_json()
    assert first["results"][0]["status"] == "created"
    assert retry["results"][0]["status"] == "duplicate" and not retry["clock_warning"]
    hour_old = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    stale = push(engineer, records, sent_at=hour_old).get_json()  # the same bytes an hour later
    assert stale["results"][0]["status"] == "duplicate" and stale["clock_warning"]


def test_upper_case_uuids_come_back_lower_cased_and_replay_as_duplicates(reference_data, auth):
    engineer = auth("engineer")
    record = rec.visit("520000")
    record["uuid"] = record["uuid"].upper()
    answer = push(engineer, [record]).get_json()["results"][0]
    assert answer["status"] == "created" and answer["uuid"] == record["uuid"].lower()
    again = push(engineer, [dict(record, uuid=record["uuid"].lower())]).get_json()["results"][0]
    assert again["status"] == "duplicate" and again["id"] == answer["id"]
