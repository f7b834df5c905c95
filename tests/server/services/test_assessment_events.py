"""Assessment events: validated against their rule, append-only, corrected by superseding."""

from __future__ import annotations

from datetime import date

import pytest

from server.errors import Conflict, Invalid
from server.extensions import db
from server.models import AssessmentEvent
from server.services.assessment import events
from tests.server import assessment_scene as scene


@pytest.fixture
def supervisor(app, factory, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    app.config["ATTACHMENT_STORE"] = str(tmp_path / "attachments")
    return factory.user("supervisor")


def _new(user, **kw):
    fields = {
        "form": "av",
        "item": "service",
        "rule": "written_praise",
        "occurred_on": date(2025, 6, 3),
        "description": "letter of thanks from the bureau",
        "user": user,
    }
    return events.create_event(**{**fields, **kw})


@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        ({"form": "hardware"}, "form", "unknown_form"),
        ({"item": "catering"}, "item", "unknown_item"),
        ({"rule": "nice_weather"}, "rule", "unknown_rule"),
        ({"rule": "", "item": "service"}, "rule", "unknown_rule"),
        ({"item": "daily_inspection", "rule": "missed_daily_check"}, "rule", "computed_rule"),
        ({}, "attachments", "evidence_required"),
        ({"points": 20}, "points", "out_of_range"),
        (
            {"item": "communication", "rule": "communication_incident", "points": -3},
            "points",
            "out_of_range",
        ),
        ({"item": "communication", "rule": "communication_incident"}, "points", "required"),
        ({"item": "emergency", "rule": "contractor_outage"}, "fault_id", "fault_required"),
        (
            {"item": "emergency", "rule": "contractor_outage", "fault_id": 99, "points": -5},
            "points",
            "computed_points",
        ),
        (
            {"item": "attitude", "rule": "late_or_inaccurate", "description": "  "},
            "description",
            "required",
        ),
        ({"attachments": [{"sha256": "a" * 64}]}, "attachments", "unknown_attachment"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(supervisor, kw, field, code):
    with pytest.raises(Invalid) as info:
        _new(supervisor, **kw)
    assert info.value.errors == {"json": {field: [code]}}
    assert db.session.query(AssessmentEvent).count() == 0


def test_ranges_and_choices(supervisor):
    assert (
        _new(supervisor, item="communication", rule="communication_incident", points=-2).points
        == -2
    )
    lvl = _new(supervisor, form="software", item="emergency", rule="late_response_level", points=-7)
    assert lvl.points == -7
    with pytest.raises(Invalid):
        _new(supervisor, form="software", item="emergency", rule="late_response_level", points=-11)


def test_a_correction_supersedes_and_the_original_stays(supervisor):
    pdf = scene.upload(scene.PDF_BYTES, "application/pdf")
    first = _new(supervisor, attachments=[pdf])
    assert first.attachments[0]["content_type"] == "application/pdf"
    fixed = events.supersede(
        first.id, supervisor, description="dated wrongly", occurred_on=date(2025, 6, 4)
    )
    assert (fixed.supersedes_id, fixed.points, fixed.attachments) == (
        first.id,
        10,
        first.attachments,
    )
    assert [e.id for e in events.current_events()] == [fixed.id]
    assert {e.id for e in events.all_events()} == {first.id, fixed.id}
    assert db.session.get(AssessmentEvent, first.id).occurred_on == date(2025, 6, 3)  # untouched
    with pytest.raises(Conflict):
        events.supersede(first.id, supervisor, description="again")
    gone = events.supersede(fixed.id, supervisor, description="duplicate", withdrawn=True)
    assert gone.withdrawn and gone.points == 0
