"""Daily anchors: the head hash at the end of each China day, in the monthly inspection report
and the handover package, and checked by `xunjian evidence verify --anchor`."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC

from server import periods
from server.models import EvidenceHead, EvidenceLink
from server.services.evidence import anchors
from server.services.handover import build
from server.services.reports import registry
from tests import sync_records as rec


def _today_and_head(auth, db):
    engineer = auth("engineer")
    answer = engineer.post("/api/v1/sync/push", json={"records": [rec.visit("520000")]})
    assert answer.get_json()["results"][0]["status"] == "created"
    head = db.session.get(EvidenceHead, 1)
    link = db.session.get(EvidenceLink, head.seq)  # its China day, not the clock's (midnight)
    today = periods.local_day(link.server_time.replace(tzinfo=UTC))
    return today, head.seq, head.hash


def test_the_day_anchor_is_the_head_and_earlier_days_the_genesis(reference_data, auth, db):
    today, seq, head = _today_and_head(auth, db)
    month = periods.month_span(today.year, today.month)
    days = {a["day"]: a for a in anchors.daily(month)}
    assert (days[today]["records"], days[today]["seq"], days[today]["hash"]) == (1, seq, head)
    earlier = [a for d, a in days.items() if d < today]
    assert all(a["hash"] == "0" * 64 and a["records"] == 0 for a in earlier)


def test_monthly_report_and_handover_print_the_anchor(reference_data, auth, db, tmp_path):
    today, _, head = _today_and_head(auth, db)
    html = registry.report_html("inspection_monthly", f"{today.year}-{today.month:02d}")
    assert "数据存证锚点" in html and head in html
    path = tmp_path / "package.zip"
    build.build(periods.parse_period(f"{today.year}-{today.month:02d}"), path)
    with zipfile.ZipFile(path) as archive:
        text = archive.read("data/evidence_anchors.csv").decode("utf-8-sig")
        readme = archive.read("README.txt").decode("utf-8")
    rows = {row["day"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows[today.isoformat()]["hash"] == head
    assert "存证链" in readme


def test_verify_checks_a_kept_anchor(reference_data, auth, db, app):
    today, _, head = _today_and_head(auth, db)
    runner = app.test_cli_runner()
    kept = runner.invoke(args=["evidence", "verify", "--anchor", f"{today}={head}"])
    assert kept.exit_code == 0, kept.output
    wrong = runner.invoke(args=["evidence", "verify", "--anchor", f"{today}={'a' * 64}"])
    assert wrong.exit_code == 1 and f"the anchor of {today} is {head}" in wrong.output
    bad = runner.invoke(args=["evidence", "verify", "--anchor", "yesterday"])
    assert bad.exit_code == 2 and "DAY=HASH" in bad.output
