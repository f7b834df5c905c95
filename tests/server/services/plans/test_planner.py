"""The sampling algorithm without a database: rotation guarantee, spread, reproducibility."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from server.services.plans import planner

# Guizhou: bureaus per prefecture-level unit (province bureau counted with Guiyang).
GUIZHOU = {
    "520100": 12,
    "520200": 5,
    "520300": 15,
    "520400": 7,
    "520500": 9,
    "520600": 11,
    "522300": 9,
    "522600": 17,
    "522700": 13,
    "GUIAN": 1,
}


def make_groups(sizes: dict[str, int]) -> dict[int, str]:
    ids = {}
    for group, count in sizes.items():
        for _ in range(count):
            ids[len(ids) + 1] = group
    return ids


def test_quotas_follow_largest_remainder():
    result = planner.quotas(GUIZHOU, 30)
    assert sum(result.values()) == 30
    for group, count in GUIZHOU.items():
        exact = 30 * count / 99
        assert int(exact) <= result[group] <= int(exact) + 1


def test_same_seed_same_history_same_plan():
    groups = make_groups(GUIZHOU)
    bureaus = [planner.Bureau(i, g) for i, g in groups.items()]
    first = planner.choose(bureaus, 8104, 30, seed=42)
    again = planner.choose(list(reversed(bureaus)), 8104, 30, seed=42)
    other = planner.choose(bureaus, 8104, 30, seed=43)
    assert first == again
    assert first != other
    assert len({c.site_id for c in first}) == 30


def test_required_count_covers_every_horizon():
    deadlines = [10] * 5 + [11] * 40 + [12] * 40 + [13] * 14
    need = planner.required_count(deadlines, 10, 30)
    assert need == max(5, 45 - 30, 85 - 60, 99 - 90)


def test_engineers_balanced_and_contiguous():
    groups = sorted(["a"] * 7 + ["b"] * 11 + ["c"] * 12)
    engineers = planner.assign_engineers(groups, [5, 9, 2])
    assert sorted(engineers.count(e) for e in (5, 9, 2)) == [10, 10, 10]
    changes = sum(1 for x, y in zip(engineers, engineers[1:]) if x != y)
    assert changes == 2
    assert planner.assign_engineers(["a"], []) == [None]


def simulate(sizes, quarters, size, seed, replace_rate, visits_rate):
    """Plan `quarters` consecutive quarters with supervisor replacements and stray visits;
    return the quarters each bureau was planned in."""
    rng = random.Random(seed)
    groups = make_groups(sizes)
    last_planned: dict[int, int] = {}
    last_visited: dict[int, int] = {}
    planned_in = {i: [] for i in groups}
    origin = 100
    for quarter in range(origin, origin + quarters):
        states = [
            planner.Bureau(
                i,
                g,
                last_planned.get(i),
                last_visited.get(i),
                open_fault=rng.random() < 0.05,
                failed_last=rng.random() < 0.1,
            )
            for i, g in groups.items()
        ]
        by_id = {s.site_id: s for s in states}
        choices = planner.choose(states, quarter, size, rng.randrange(2**32), origin)
        assert len({c.site_id for c in choices}) == size
        final = []
        for choice in choices:
            if rng.random() >= replace_rate:
                final.append(choice.site_id)
                continue
            taken = {c.site_id for c in choices} | set(final)
            pool = [i for i in groups if i not in taken]
            if choice.required:  # the service refuses a less urgent replacement
                limit = planner.deadline(by_id[choice.site_id], origin)
                pool = [i for i in pool if planner.deadline(by_id[i], origin) <= limit]
            final.append(rng.choice(pool) if pool else choice.site_id)
        for site_id in final:
            last_planned[site_id] = quarter
            planned_in[site_id].append(quarter)
            if rng.random() < visits_rate:
                last_visited[site_id] = quarter
    return planned_in, origin


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    quarters=st.integers(12, 20),
    replace_rate=st.sampled_from([0.0, 0.1, 0.3]),
    visits_rate=st.sampled_from([0.5, 1.0]),
)
def test_no_bureau_goes_four_quarters_unplanned(seed, quarters, replace_rate, visits_rate):
    planned_in, origin = simulate(GUIZHOU, quarters, 30, seed, replace_rate, visits_rate)
    end = origin + quarters
    for site_id, marks in planned_in.items():
        edges = [origin - 1] + marks + [end]
        # any 4 consecutive quarters inside [origin, end) contain a planning of every bureau
        gaps = [b - a for a, b in zip(edges, edges[1:])]
        assert max(gaps) <= planner.ROTATION, (site_id, marks)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    sizes=st.dictionaries(
        st.sampled_from("abcdefghij"), st.integers(1, 20), min_size=2, max_size=10
    ),
)
def test_rotation_holds_for_any_unit_sizes(seed, sizes):
    total = sum(sizes.values())
    size = -(-total // planner.ROTATION)  # the smallest size a rotation allows
    planned_in, origin = simulate(sizes, 12, size, seed, 0.2, 0.7)
    for marks in planned_in.values():
        edges = [origin - 1] + marks + [origin + 12]
        assert max(b - a for a, b in zip(edges, edges[1:])) <= planner.ROTATION


def test_spread_follows_quotas_when_rotation_allows():
    sizes = {"a": 30, "b": 25, "c": 15, "d": 9, "e": 1}
    groups = make_groups(sizes)
    # 80 bureaus all planned last quarter: 3 later quarters hold them, nothing is forced.
    states = [planner.Bureau(i, g, last_planned=100, last_visited=100) for i, g in groups.items()]
    choices = planner.choose(states, 101, 30, seed=7, origin=90)
    assert not any(c.required for c in choices)
    counts = {g: sum(1 for c in choices if c.group == g) for g in sizes}
    assert counts == planner.quotas(sizes, 30)


def test_priority_prefers_never_visited():
    groups = make_groups({"a": 40})
    states = [
        planner.Bureau(i, g, last_planned=99, last_visited=None if i <= 10 else 99)
        for i, g in groups.items()
    ]
    hits = 0
    for seed in range(50):
        chosen = {c.site_id for c in planner.choose(states, 100, 10, seed, origin=90)}
        hits += len(chosen & set(range(1, 11)))
    assert hits / 50 > 7  # never-visited weigh 37 against 2
