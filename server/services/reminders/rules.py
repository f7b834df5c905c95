"""The list of reminder rules (one place), each rule's effective settings (the defaults
overlaid by an admin's choice), and evaluating every enabled rule at a moment."""

from __future__ import annotations

from datetime import datetime

from server.errors import NotFound
from server.extensions import db
from server.models.reminders import ReminderRuleSetting
from server.security import ON_DUTY, SUPERVISORS
from server.services.reminders import rules_daily, rules_faults, rules_work, weekly
from server.services.reminders.events import Event, Rule, Tick

RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("fault_clock_warning", rules_faults.WARN_PARAMS, rules_faults.clock_warnings, ON_DUTY),
        Rule(
            "fault_clock_breach", rules_faults.BREACH_PARAMS, rules_faults.clock_breaches, ON_DUTY
        ),
        Rule("daily_check_missing", rules_daily.PARAMS, rules_daily.daily_check_missing, ON_DUTY),
        Rule(
            "meeting_check_late", rules_work.MEETING_PARAMS, rules_work.meeting_checks_late, ON_DUTY
        ),
        Rule("plan_behind", rules_work.PLAN_PARAMS, rules_work.plan_behind, SUPERVISORS),
        Rule("spare_low", (), rules_work.spare_low, SUPERVISORS),
        Rule("review_waiting", rules_work.REVIEW_PARAMS, rules_work.review_waiting, SUPERVISORS),
        Rule("weekly_summary", weekly.PARAMS, weekly.weekly_summary, SUPERVISORS),
    )
}


def get_rule(name: str) -> Rule:
    rule = RULES.get(name)
    if rule is None:
        raise NotFound(f"There is no reminder rule '{name}'; the rules are {', '.join(RULES)}.")
    return rule


def settings() -> dict[str, tuple[bool, dict]]:
    """Every rule's (enabled, params): the defaults overlaid by what an admin saved."""
    saved = {s.rule: s for s in db.session.query(ReminderRuleSetting)}
    out = {}
    for name, rule in RULES.items():
        row = saved.get(name)
        params = {**rule.defaults(), **(row.params if row else {})}
        out[name] = (row.enabled if row else rule.default_enabled, params)
    return out


def evaluate(now: datetime, known) -> list[Event]:
    """The events of every enabled rule at `now`; `known(rule, key)` says one is queued."""
    tick = Tick(known)
    events = []
    for name, (enabled, params) in settings().items():
        if enabled:
            events += RULES[name].evaluate(now, params, tick)
    return events
