"""The assessment of any period: both forms scored from the records and the events, the money
at stake, and for the current period a projection and the points still at risk this month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from server import periods
from server.models import AssessmentEvent
from server.services.assessment import (
    backup_points,
    daily_points,
    fault_points,
    forms,
    meeting_points,
    records,
    rules,
)
from server.services.assessment import events as event_service
from server.services.assessment.records import Finding, link
from server.services.assessment.term import contract_term
from server.services.faults import lifecycle as fault_service


@dataclass
class Line:
    """One item of a form: its maximum, what was taken and given, its score (never below 0)."""

    code: str
    zh: str
    en: str
    max_points: int
    deductions: list[Finding] = field(default_factory=list)
    bonuses: list[Finding] = field(default_factory=list)
    evidence: list[Finding] = field(default_factory=list)  # records shown, 0 points
    zeroed: bool = False  # a rule that makes the item 0 happened (a data leak)

    @property
    def score(self) -> int:
        if self.zeroed:
            return 0
        return max(0, self.max_points + sum(f.points for f in self.deductions + self.bonuses))


@dataclass
class FormScore:
    code: str
    zh: str
    en: str
    lines: list[Line]
    pass_mark: int

    @property
    def total(self) -> int:
        return sum(line.score for line in self.lines)

    @property
    def passed(self) -> bool:
        return self.total >= self.pass_mark


@dataclass
class Assessment:
    label: str
    first: date  # inside the contract term, both days inclusive
    last: date
    as_of: datetime
    forms: list[FormScore]
    money: dict
    projection: dict | None = None  # only for the current period
    at_risk: dict | None = None

    @property
    def total(self) -> int:
        """The score that decides the money: the lower form (both must pass; a reading)."""
        return min(form.total for form in self.forms)

    @property
    def passed(self) -> bool:
        return all(form.passed for form in self.forms)


def money(total: int) -> dict:
    """What the score means in yuan: the deposit back, forfeited; the final payment."""
    deposit = round(rules.CONTRACT_VALUE_YUAN * rules.DEPOSIT_SHARE)
    final = round(rules.CONTRACT_VALUE_YUAN * rules.FINAL_PAYMENT_SHARE)
    if total >= rules.PASS_MARK:
        forfeited, band = 0, "pass"
    elif total >= rules.HALF_DEPOSIT_MARK:
        forfeited, band = deposit // 2, "half"
    else:
        forfeited, band = deposit, "all"
    return {
        "contract_value": rules.CONTRACT_VALUE_YUAN,
        "deposit": deposit,
        "deposit_forfeited": forfeited,
        "deposit_returned": deposit - forfeited,
        "final_payment": final,
        "final_payment_due": total >= rules.PASS_MARK,
        "at_stake": deposit + final,
        "band": band,
    }


def event_finding(event: AssessmentEvent, now: datetime) -> Finding:
    """An event as a finding; a contractor outage takes its points from the fault's clocks."""
    points, detail = (
        event.points,
        {
            "event_id": event.id,
            "entered_by": event.entered_by.display_name,
            "entered_at": event.entered_at.isoformat(),
            "supersedes_id": event.supersedes_id,
        },
    )
    links = [
        link("event", f"考核事件 #{event.id}", f"/api/v1/assessment/events/{event.id}", event.id)
    ]
    links += [
        link(
            "attachment",
            a.get("name") or a["sha256"][:12],
            f"/api/v1/assessment/attachments/{a['sha256']}",
            a["sha256"],
        )
        for a in event.attachments
    ]
    if event.fault_id is not None:
        fault = fault_service.get_fault(event.fault_id)
        links.append(fault_points.fault_link(fault))
        detail["fault"] = fault_points.fault_detail(fault, now)
        if forms.find_rule(event.form, event.item, event.rule)[2].source == "event_fault":
            minutes, points = fault_points.outage_minutes(fault, now)
            detail["outage_minutes"] = minutes
    return Finding(
        event.form,
        event.item,
        event.rule,
        points,
        event.occurred_on,
        event.description,
        links,
        detail,
    )


def findings(first: date, last: date, now: datetime) -> list[Finding]:
    """Everything that moves a score in [first, last], seen at `now`."""
    today = periods.local_day(now)
    start, end = periods.day_start(first), periods.day_start(last + timedelta(days=1))
    found = daily_points.missed_daily_checks(first, last, today)
    found += records.missed_monthly(first, last, today)
    found += records.missed_quarterly(first, last, today)
    found += fault_points.fault_findings(fault_points.period_faults(start, end), now)
    found += meeting_points.guarantee_findings(start, end, now)
    found += meeting_points.incident_findings(start, end)
    found += backup_points.backup_findings(first, last, today)
    for event in event_service.current_events(first, last):
        if not event.withdrawn:
            found.append(event_finding(event, now))
    return found


def score_forms(found: list[Finding]) -> list[FormScore]:
    scored = []
    for form in forms.FORMS.values():
        lines = {
            item.code: Line(item.code, item.zh, item.en, item.max_points) for item in form.items
        }
        for finding in found:
            if finding.form != form.code:
                continue
            line = lines[finding.item]
            rule = forms.find_rule(form.code, finding.item, finding.rule)[2]
            if rule is not None and rule.zero_item:
                line.zeroed = True
                line.deductions.append(finding)
            elif finding.points == 0 and rule is not None and rule.source == "records":
                line.evidence.append(finding)
            elif finding.points > 0:
                line.bonuses.append(finding)
            else:
                line.deductions.append(finding)
        scored.append(FormScore(form.code, form.zh, form.en, list(lines.values()), form.pass_mark))
    return scored


def assess(
    start: date, end: date, now: datetime | None = None, label: str | None = None
) -> Assessment:
    """Both forms for the days start..end (inclusive), clipped to the contract term."""
    now = now or fault_service.current_time()
    span = periods.within_term(
        periods.Span(label or f"{start}..{end}", start, end + timedelta(days=1)),
        "period",
        term=contract_term(),
    )
    first, last = span.first, span.after - timedelta(days=1)
    found = findings(first, last, now)
    forms = score_forms(found)
    result = Assessment(span.label, first, last, now, forms, {})
    result.money = money(result.total)
    today = periods.local_day(now)
    if first <= today <= last:
        from server.services.assessment.outlook import at_risk, projection

        result.projection = projection(result, today)
        result.at_risk = at_risk(result, today, now)
    return result
