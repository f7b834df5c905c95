"""What a rule finds (an Event), what a rule is (its name, defaults, evaluator) and how its
thresholds are checked when an admin changes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from server.errors import Invalid
from server.services.core.public_url import public_base


@dataclass(frozen=True)
class Event:
    """One thing to tell: `key` is unique per rule and occurrence (a fault's clock, a day), so
    evaluating the rule again finds the same event and queues nothing new."""

    rule: str
    key: str
    title: str
    lines: tuple[str, ...]
    path: str  # the page to open, e.g. /faults?fault=12
    roles: tuple[str, ...] = ()
    user_ids: tuple[int, ...] = ()
    urgent: bool = False  # breaches are sent in quiet hours too

    def text(self) -> str:
        return "\n".join(self.lines)

    def link(self) -> str:
        return public_base().rstrip("/") + self.path


@dataclass
class Tick:
    """What the rules of one scheduler tick share: `known(rule, key)` says an event is queued
    already (rules with costly figures ask first), `cache` holds reads several rules need."""

    known: Callable[[str, str], bool]
    cache: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Param:
    """A tunable threshold: minutes, a count, a ratio or a China-time clock time."""

    name: str
    default: float | int | str
    kind: str = "minutes"  # minutes | count | ratio | time
    minimum: float = 0


@dataclass(frozen=True)
class Rule:
    name: str
    params: tuple[Param, ...]
    evaluate: Callable[[datetime, dict, Tick], list[Event]]
    audience: tuple[str, ...]  # the roles it speaks to by default (documentation, page)
    default_enabled: bool = True
    extra: dict = field(default_factory=dict)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}


def check_time(value) -> str:
    text = str(value)
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
        raise ValueError("a time of day as HH:MM, e.g. 10:00")
    return f"{int(hours):02d}:{int(minutes):02d}"


def checked_params(rule: Rule, given: dict) -> dict:
    """The rule's thresholds after an admin's change: unknown names and bad values refused."""
    known = {p.name: p for p in rule.params}
    problems = {name: ["not a setting of this rule"] for name in given if name not in known}
    out = rule.defaults()
    for name, value in given.items():
        param = known.get(name)
        if param is None:
            continue
        try:
            out[name] = _one(param, value)
        except ValueError as exc:
            problems[name] = [str(exc)]
    if problems:
        raise Invalid(
            f"The settings of rule {rule.name} have problems; see errors.",
            errors={"json": {"params": problems}},
            code_name="reminder_param",
        )
    return out


def _one(param: Param, value):
    if param.kind == "time":
        return check_time(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("a number")
    if value < param.minimum:
        raise ValueError(f"at least {param.minimum:g}")
    if param.kind == "ratio" and value > 1:
        raise ValueError("a ratio between 0 and 1")
    return int(value) if param.kind in ("minutes", "count") and float(value).is_integer() else value
