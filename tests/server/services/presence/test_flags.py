"""Presence flags: a visit 5 km from its site is flagged in the quarterly sampling report;
the phone's accuracy is given the benefit of the doubt; no position and a clock off flag too."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa

from server import periods
from server.models import Site, Visit
from server.services.presence import flags
from server.services.reports import registry
from tests import sync_records as rec

SITE = (26.5783, 106.7135)


def _record(lat=None, lon=None, accuracy=None, skew=0):
    return SimpleNamespace(lat=lat, lon=lon, accuracy_m=accuracy, clock_skew_seconds=skew)


def test_distance_is_about_right():
    north = flags.distance_m(SITE[0], SITE[1], SITE[0] + 0.045, SITE[1])
    assert 4_950 < north < 5_060  # 0.045° of latitude is about 5 km


def test_flags_give_the_accuracy_the_benefit_of_the_doubt(app):
    near = _record(SITE[0] + 0.005, SITE[1], accuracy=10)  # ~556 m, 10 m accurate: far
    vague = _record(SITE[0] + 0.005, SITE[1], accuracy=100)  # ~556 m, 100 m accurate: fine
    assert flags.flags_of(near, *SITE)[0] == ["far"]
    assert flags.flags_of(vague, *SITE)[0] == []
    assert flags.flags_of(_record(), *SITE)[0] == ["no_position"]
    assert flags.flags_of(_record(*SITE, skew=-900), *SITE)[0] == ["clock_off"]
    assert flags.flags_of(_record(*SITE), None, None)[0] == ["no_site_point"]


def test_a_visit_5_km_away_is_flagged_in_the_sampling_report(reference_data, auth, db):
    db.session.execute(
        sa.update(Site).where(Site.code == "520000").values(lat=SITE[0], lon=SITE[1])
    )
    db.session.commit()
    engineer = auth("engineer")
    far, near = rec.visit("520000"), rec.visit("520000")
    far["position"] = {"lat": SITE[0] + 0.045, "lon": SITE[1], "accuracy": 30.0}
    near["position"] = {"lat": SITE[0] + 0.0005, "lon": SITE[1], "accuracy": 30.0}
    answer = engineer.post("/api/v1/sync/push", json={"records": [far, near]}).get_json()
    assert [r["status"] for r in answer["results"]] == ["created", "created"]  # never refused
    started = db.session.scalar(sa.select(Visit.started_at).where(Visit.uuid == far["uuid"]))
    quarter = periods.quarter_key(*periods.index_to_quarter(periods.quarter_of(started)))
    rows = flags.flagged_visits(periods.parse_period(quarter), "quarterly")
    assert [(r["uuid"], r["flags"]) for r in rows] == [(far["uuid"], ["far"])]
    assert 4_900 < rows[0]["distance_m"] < 5_100
    html = registry.report_html("sampling_quarterly", quarter)
    assert "五、到场核验" in html and f'data-visit="{far["uuid"]}"' in html
    assert f"距点位约 {rows[0]['distance_m']} 米" in html
    assert f'data-visit="{near["uuid"]}"' not in html


def test_the_review_filter_in_sql_agrees_with_the_flags(app, db):
    """flags.review_sql (the review queue's filter, with its no-trigonometry shortcut) says
    flagged exactly when flags_of finds a review flag, on the database's own arithmetic."""
    import random

    rng = random.Random(20)
    cases = [(SITE[0] + 0.0045, SITE[1] + 0.0001, 0.0, 0)]  # ~500 m: the edge of the box
    for _ in range(300):
        lat = SITE[0] + rng.uniform(-0.02, 0.02)
        lon = SITE[1] + rng.uniform(-0.02, 0.02)
        cases.append((lat, lon, rng.choice([None, 5.0, 80.0, 400.0]), rng.choice([0, 400])))
    cases += [(None, None, None, 0), (SITE[0] - 60, SITE[1] - 180, 10.0, 0)]  # none; antipodal
    for lat, lon, accuracy, skew in cases:
        found, _ = flags.flags_of(_record(lat, lon, accuracy, skew), *SITE)
        expected = bool(set(found) & set(flags.REVIEW_FLAGS))

        def typed(value, kind=sa.Float):  # PostgreSQL wants a bound value's type
            return sa.cast(sa.literal(value, kind), kind)

        condition = flags.review_sql(
            *(typed(v) for v in (lat, lon, accuracy)),
            typed(skew, sa.Integer),
            typed(SITE[0]),
            typed(SITE[1]),
            typed(None, sa.String),
        )
        got = db.session.scalar(sa.select(sa.case((condition, True), else_=False)))
        assert bool(got) == expected, (lat, lon, accuracy, skew, found)
