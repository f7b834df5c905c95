"""Assessment events: enter one (validated against its rule), supersede one, list them.

Append-only: nothing here updates an event; a correction is a new row that supersedes it.
Every refusal is a 422 naming the field with a stable code (unknown_form, unknown_item,
unknown_rule, computed_rule, evidence_required, out_of_range, fault_required,
unknown_attachment, ...) and writes nothing.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from server import periods
from server.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.models import AssessmentEvent, Fault, User, utcnow
from server.services.assessment import forms, rules
from server.services.assessment.term import contract_term
from server.services.core import attachments
from server.services.faults import lifecycle as fault_service


def _refuse(message: str, field: str, code: str) -> Invalid:
    return Invalid(message, errors={"json": {field: [code]}}, code_name="invalid_event")


def _rule(form: str, item: str, rule: str) -> rules.Rule:
    the_form, the_item, the_rule = forms.find_rule(form, item, rule)
    if the_form is None:
        raise _refuse(f"No assessment form '{form}'; use av or software.", "form", "unknown_form")
    if the_item is None:
        codes = ", ".join(i.code for i in the_form.items)
        raise _refuse(
            f"Form {form} has no item '{item}'; use one of {codes}.", "item", "unknown_item"
        )
    if the_rule is None:
        codes = ", ".join(r.code for r in the_item.rules if r.source != "records")
        raise _refuse(
            f"Item {item} has no rule '{rule}'; use one of {codes}.", "rule", "unknown_rule"
        )
    if the_rule.source == "records":
        raise _refuse(
            f"Rule {rule} is computed from the records; it cannot be entered.",
            "rule",
            "computed_rule",
        )
    return the_rule


def _points(rule: rules.Rule, points: int | None) -> int:
    if rule.source == "event_fault":
        if points is not None:
            raise _refuse(
                "A contractor-caused outage is scored from its fault's clocks; leave out points.",
                "points",
                "computed_points",
            )
        return 0
    if points is None:
        if rule.points is None:
            raise _refuse(f"Rule {rule.code} needs points in {rule.range}.", "points", "required")
        return rule.points
    if not rule.allows(points):
        allowed = list(rule.choices) if rule.choices else f"{rule.range[0]}..{rule.range[1]}"
        raise _refuse(
            f"Rule {rule.code} allows {allowed} points, not {points}.", "points", "out_of_range"
        )
    return points


def _attachments(rule: rules.Rule, given: list[dict]) -> list[dict]:
    if rule.evidence and not given:
        raise _refuse(
            f"Rule {rule.code} needs evidence: attach a photo or a PDF (upload it first).",
            "attachments",
            "evidence_required",
        )
    kept = []
    for item in given:
        found = attachments.find(item["sha256"])
        if found is None:
            raise _refuse(
                f"Attachment {item['sha256']} has not been uploaded; PUT it to "
                "/api/v1/assessment/attachments/<sha256> first.",
                "attachments",
                "unknown_attachment",
            )
        content_type, size = found
        name = (item.get("name") or "").strip() or item["sha256"][:12]
        kept.append(
            {"sha256": item["sha256"], "content_type": content_type, "name": name, "size": size}
        )
    return kept


def _fault(rule: rules.Rule, fault_id: int | None) -> int | None:
    if fault_id is None:
        if rule.source == "event_fault":
            raise _refuse(
                f"Rule {rule.code} names the fault of the outage.", "fault_id", "fault_required"
            )
        return None
    if db.session.get(Fault, fault_id) is None:
        raise _refuse(f"No fault #{fault_id}.", "fault_id", "unknown_fault")
    return fault_id


def _check_day(day: date) -> None:
    first, last = contract_term()
    if not first <= day <= last:
        raise _refuse(
            f"{day} is outside the contract term ({first}..{last}).", "occurred_on", "outside_term"
        )
    if day > periods.local_day(fault_service.current_time()):
        raise _refuse(f"{day} is in the future.", "occurred_on", "in_future")


def create_event(
    *,
    form: str,
    item: str,
    rule: str,
    occurred_on: date,
    description: str,
    user: User,
    points: int | None = None,
    attachments: list[dict] | None = None,
    fault_id: int | None = None,
    supersedes: AssessmentEvent | None = None,
    withdrawn: bool = False,
) -> AssessmentEvent:
    """Validate against the rule, then add the event (flush only)."""
    the_rule = _rule(form, item, rule)
    if not (description or "").strip():
        raise _refuse("Say what happened.", "description", "required")
    _check_day(occurred_on)
    event = AssessmentEvent(
        form=form,
        item=item,
        rule=rule,
        points=0 if withdrawn else _points(the_rule, points),
        occurred_on=occurred_on,
        description=description.strip(),
        attachments=[] if withdrawn else _attachments(the_rule, attachments or []),
        fault_id=_fault(the_rule, fault_id),
        withdrawn=withdrawn,
        supersedes_id=supersedes.id if supersedes else None,
        entered_by_id=user.id,
        entered_at=utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    return event


def get_event(event_id: int) -> AssessmentEvent:
    event = db.session.get(AssessmentEvent, event_id)
    if event is None:
        raise NotFound(f"No assessment event #{event_id}.")
    return event


def superseded_by(event: AssessmentEvent) -> AssessmentEvent | None:
    return db.session.scalar(
        sa.select(AssessmentEvent).where(AssessmentEvent.supersedes_id == event.id)
    )


def supersede(
    event_id: int, user: User, *, description: str, withdrawn: bool = False, **changes
) -> AssessmentEvent:
    """A correction of a current event: a new row replacing it (what is not given is kept);
    withdrawn=True cancels it. The description says why."""
    old = get_event(event_id)
    newer = superseded_by(old)
    if newer is not None:
        raise Conflict(
            f"Event #{old.id} was already corrected by #{newer.id}; correct that one.",
            errors={"path": {"event_id": ["already_superseded"]}},
        )
    computed = forms.find_rule(old.form, old.item, old.rule)[2].source == "event_fault"
    fields = {
        "form": old.form,
        "item": old.item,
        "rule": old.rule,
        "occurred_on": old.occurred_on,
        "fault_id": old.fault_id,
        "attachments": [{"sha256": a["sha256"], "name": a.get("name")} for a in old.attachments],
        "points": None if computed else old.points,
    }
    fields.update({key: value for key, value in changes.items() if value is not None})
    return create_event(
        user=user, supersedes=old, description=description, withdrawn=withdrawn, **fields
    )


def superseding_ids(ids: list[int]) -> dict[int, int]:
    """{event id: id of the event that superseded it} for these events."""
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(AssessmentEvent.supersedes_id, AssessmentEvent.id).where(
            AssessmentEvent.supersedes_id.in_(ids)
        )
    )
    return dict(rows.all())


def current_events(first: date | None = None, last: date | None = None) -> list[AssessmentEvent]:
    """Events nobody superseded (withdrawn ones included), oldest first, in [first, last]."""
    newer = aliased(AssessmentEvent)
    query = (sa.select(AssessmentEvent).options(selectinload(AssessmentEvent.entered_by))).where(
        ~sa.exists().where(newer.supersedes_id == AssessmentEvent.id)
    )
    if first is not None:
        query = query.where(AssessmentEvent.occurred_on >= first)
    if last is not None:
        query = query.where(AssessmentEvent.occurred_on <= last)
    return list(db.session.scalars(query.order_by(AssessmentEvent.occurred_on, AssessmentEvent.id)))


def all_events(first: date | None = None, last: date | None = None) -> list[AssessmentEvent]:
    """Every event with its history (superseded ones too), for the list and the handover."""
    query = sa.select(AssessmentEvent)
    if first is not None:
        query = query.where(AssessmentEvent.occurred_on >= first)
    if last is not None:
        query = query.where(AssessmentEvent.occurred_on <= last)
    return list(db.session.scalars(query.order_by(AssessmentEvent.occurred_on, AssessmentEvent.id)))


def dump_event(event: AssessmentEvent, superseded_by_id: int | None = None) -> dict:
    return {
        "id": event.id,
        "form": event.form,
        "item": event.item,
        "rule": event.rule,
        "points": event.points,
        "occurred_on": event.occurred_on,
        "description": event.description,
        "attachments": [
            {**a, "url": f"/api/v1/assessment/attachments/{a['sha256']}"} for a in event.attachments
        ],
        "fault_id": event.fault_id,
        "withdrawn": event.withdrawn,
        "supersedes_id": event.supersedes_id,
        "superseded_by_id": superseded_by_id,
        "entered_by": {"id": event.entered_by_id, "name": event.entered_by.display_name},
        "entered_at": event.entered_at,
    }
