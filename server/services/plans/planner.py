"""The quarterly sampling algorithm, pure (no database): which bureaus, and why.

Rules, in order (docs/plans.md has the proof):
1. Rotation: a bureau's deadline is 4 quarters after it was last planned or visited
   (never: 3 quarters after the first planned quarter). Earliest-deadline-first, the plan
   takes just enough bureaus that every later quarter can still meet every deadline.
2. Spread: the other places follow each prefecture-level unit's share of bureaus
   (largest-remainder rounding).
3. Priority: within a unit, weighted random sampling without replacement; never or
   long unvisited bureaus, open faults and failed checks last time weigh more.
All randomness comes from random.Random(seed), with candidates in site-id order, so the
same seed and history give the same plan.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

ROTATION = 4  # every bureau planned at least once in any ROTATION consecutive quarters
NEVER_AGE = 6  # the age (in quarters) a never-visited bureau weighs as


@dataclass(frozen=True)
class Bureau:
    """What the planner knows of one bureau at planning time (quarters as indexes)."""

    site_id: int
    group: str  # prefecture-level unit
    last_planned: int | None = None  # last quarter planned or visited, before this one
    last_visited: int | None = None
    open_fault: bool = False
    failed_last: bool = False


@dataclass(frozen=True)
class Choice:
    site_id: int
    group: str
    reason: str  # rotation | never | fault | failed | sampled
    required: bool


def deadline(bureau: Bureau, origin: int) -> int:
    """The last quarter this bureau may next be planned in without breaking the rotation."""
    if bureau.last_planned is None:
        return origin + ROTATION - 1
    return bureau.last_planned + ROTATION


def required_count(deadlines: list[int], quarter: int, size: int) -> int:
    """How many earliest-deadline bureaus this quarter must take so later ones stay feasible.

    By quarter+k, size*(k+1) places exist; the bureaus due by then, minus what the next k
    quarters can take, must be taken now.
    """
    need = 0
    for k in range(ROTATION):
        due = sum(1 for d in deadlines if d <= quarter + k)
        need = max(need, due - size * k)
    return min(need, size)


def quotas(group_sizes: dict[str, int], size: int) -> dict[str, int]:
    """Largest-remainder apportionment of `size` places by number of bureaus."""
    total = sum(group_sizes.values())
    exact = {g: size * n / total for g, n in group_sizes.items()}
    result = {g: int(x) for g, x in exact.items()}
    by_remainder = sorted(group_sizes, key=lambda g: (-(exact[g] - result[g]), -group_sizes[g], g))
    for g in by_remainder[: size - sum(result.values())]:
        result[g] += 1
    return result


def weight(bureau: Bureau, quarter: int) -> float:
    age = (
        NEVER_AGE if bureau.last_visited is None else min(quarter - bureau.last_visited, NEVER_AGE)
    )
    w = 1.0 + max(age, 0) ** 2
    if bureau.open_fault:
        w *= 3
    if bureau.failed_last:
        w *= 2
    return w


def reason(bureau: Bureau) -> str:
    if bureau.last_visited is None:
        return "never"
    if bureau.open_fault:
        return "fault"
    if bureau.failed_last:
        return "failed"
    return "sampled"


def choose(
    bureaus: list[Bureau], quarter: int, size: int, seed: int, origin: int | None = None
) -> list[Choice]:
    """Pick `size` bureaus for `quarter`; callers check size <= len(bureaus)."""
    origin = quarter if origin is None else origin
    bureaus = sorted(bureaus, key=lambda b: b.site_id)
    rng = random.Random(seed)
    # One uniform draw per bureau, in site order: both tie-breaks and the weighted sampling
    # (Efraimidis-Spirakis key u ** (1 / w): larger first) come from it.
    draw = {b.site_id: rng.random() for b in bureaus}
    key = {b.site_id: draw[b.site_id] ** (1.0 / weight(b, quarter)) for b in bureaus}
    due = {b.site_id: max(deadline(b, origin), quarter) for b in bureaus}
    need = required_count(list(due.values()), quarter, size)
    by_deadline = sorted(bureaus, key=lambda b: (due[b.site_id], -key[b.site_id]))
    chosen = [Choice(b.site_id, b.group, "rotation", True) for b in by_deadline[:need]]
    taken = {c.site_id for c in chosen}
    group_sizes: dict[str, int] = {}
    for b in bureaus:
        group_sizes[b.group] = group_sizes.get(b.group, 0) + 1
    quota = quotas(group_sizes, size)
    count = {g: 0 for g in group_sizes}
    for c in chosen:
        count[c.group] += 1
    queues = {
        g: sorted(
            (b for b in bureaus if b.group == g and b.site_id not in taken),
            key=lambda b: -key[b.site_id],
        )
        for g in group_sizes
    }
    while len(chosen) < size:
        open_groups = [g for g in queues if queues[g]]
        group = max(open_groups, key=lambda g: (quota[g] - count[g], key[queues[g][0].site_id]))
        pick = queues[group].pop(0)
        chosen.append(Choice(pick.site_id, pick.group, reason(pick), False))
        count[group] += 1
    return chosen


def assign_engineers(groups_in_order: list[str], engineer_ids: list[int]) -> list[int | None]:
    """Balanced contiguous blocks: entries sorted by prefecture, loads differ by at most one."""
    if not engineer_ids:
        return [None] * len(groups_in_order)
    n, e = len(groups_in_order), len(engineer_ids)
    base, extra = divmod(n, e)
    result: list[int | None] = []
    for i, engineer in enumerate(engineer_ids):
        result += [engineer] * (base + (1 if i < extra else 0))
    return result
