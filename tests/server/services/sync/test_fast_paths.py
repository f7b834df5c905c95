"""The sync fast paths agree with their schemas (Hypothesis): when a fast path answers, its answer
is the schema's load(); when the schema refuses, the fast path answers None (the push then lets
the schema say what is wrong). None on a record the schema takes is allowed: the slow path."""

from __future__ import annotations

import string
import uuid
from datetime import UTC, datetime, timedelta, timezone

import marshmallow as ma
from hypothesis import assume, event, example, given, settings
from hypothesis import strategies as st

from server.models import INSPECTION_KINDS, TAG_SOURCES
from server.services.field.data import InspectionData
from server.services.sync import limits as sync_limits
from server.services.sync.envelope import ENVELOPE, fast_envelope

MANY = settings(max_examples=400, deadline=None)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _uuid_texts():
    valid = st.uuids().flatmap(
        lambda u: st.sampled_from(
            [str(u), str(u).upper(), u.hex, f"{{{u}}}", f"urn:uuid:{u}", str(u)[:-1]]
        )
    )
    return valid | st.text(max_size=40)


def _offsets():
    return st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))


MOMENTS = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))


def _odd_times():
    def spell(moment, tz, style):
        aware = moment.replace(tzinfo=tz)
        text = aware.isoformat()
        return {
            "z": aware.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "naive": moment.isoformat(),
            "space": text.replace("T", " "),
            "lower_z": text[:19] + "z",
            "minutes": text[:16] + text[19:],
            "seven": text[:19] + ".1234567" + text[-6:],
            "short_offset": text[:-3],
        }[style]

    styles = st.sampled_from(["z", "naive", "space", "lower_z", "minutes", "seven", "short_offset"])
    return st.builds(spell, MOMENTS, _offsets(), styles) | st.text(
        alphabet=string.digits + "-:TZ+.", max_size=30
    )


def _over(limit: int):
    """Text just longer than a limit (made by hand: Hypothesis shrinks long text towards its minimum)."""
    return st.text(min_size=1, max_size=3).map(lambda tail: "x" * limit + tail)


def _odd_numbers(low, high):
    just_outside = st.sampled_from(
        [low - 1, high + 1, low - 0.001, high + 0.001, int(low) - 1, int(high) + 1]
    )
    return (
        just_outside
        | just_outside
        | st.floats(low - 10, high + 10, allow_nan=False)
        | st.integers(int(low) - 10, int(high) + 10)
        | st.booleans()
        | st.text(alphabet=string.digits + ".-", max_size=5)
        | st.none()
    )


def _odd_positions():
    """A good position with one field odd (or an unknown one added), or no object at all."""
    odd = st.sampled_from(["lat", "lon", "accuracy", "altitude"]).flatmap(
        lambda name: st.tuples(
            st.just(name),
            {
                "lat": _odd_numbers(-90, 90),
                "lon": _odd_numbers(-180, 180),
                "accuracy": _odd_numbers(0, 1e6),
                "altitude": json_scalars,
            }[name],
        )
    )
    changed = st.builds(lambda good, change: {**good, change[0]: change[1]}, GOOD_POSITION, odd)
    return st.one_of(changed, changed, changed, json_scalars)


def _records(good: dict, odd: dict):
    """A well-formed record (strategies `good`), then none, one or two changes: a field left
    out, a field given an odd value (strategies `odd`), or an unknown field added."""
    set_odd = st.sampled_from(sorted(odd)).flatmap(
        lambda name: st.tuples(st.just("set"), st.just(name), odd[name])
    )
    change = st.one_of(  # mostly odd values: they are where a fast path may disagree
        st.tuples(st.just("drop"), st.sampled_from(sorted(good)), st.none()),
        set_odd,
        set_odd,
        set_odd,
        st.tuples(st.just("set"), st.sampled_from(["extra", "Type"]), json_scalars),
    )

    def apply(record, changes):
        record = dict(record)
        for action, name, value in changes:
            if action == "drop":
                record.pop(name, None)
            else:
                record[name] = value
        return record

    optional = {name: strategy for name, strategy in good.items() if name.startswith("?")}
    required = {name: strategy for name, strategy in good.items() if not name.startswith("?")}
    base = st.fixed_dictionaries(required, optional={k[1:]: v for k, v in optional.items()})
    changes = st.sampled_from([0, 1, 1, 2]).flatmap(
        lambda n: st.lists(change, min_size=n, max_size=n)
    )
    return st.builds(apply, base, changes)


SHA = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
INT32 = st.integers(-(2**31), 2**31 - 1)
GOOD_POSITION = st.fixed_dictionaries(
    {
        "lat": st.floats(-90, 90) | st.integers(-90, 90),
        "lon": st.floats(-180, 180) | st.integers(-180, 180),
    },
    optional={"accuracy": st.none() | st.floats(0, 1e6) | st.integers(0, 10**6)},
)
ENVELOPES = _records(
    {
        "uuid": st.uuids().map(str),
        "type": st.sampled_from(["inspection", "visit"]),
        "client_time": st.builds(
            lambda m, tz: m.replace(tzinfo=tz).isoformat(), MOMENTS, _offsets()
        ),
        "?app_version": st.none() | st.text(max_size=32),
        "?position": st.none() | GOOD_POSITION,
        "data": st.dictionaries(st.text(max_size=3), json_scalars, max_size=2),
    },
    {
        "uuid": _uuid_texts() | json_scalars,
        "type": json_scalars,
        "client_time": _odd_times() | json_scalars,
        "app_version": _over(32) | json_scalars,
        "position": _odd_positions(),
        "data": json_values,
    },
)
RESULTS = st.lists(
    st.fixed_dictionaries(
        {"key": st.text(min_size=1, max_size=64)},
        optional={
            "value": json_scalars,
            "note": st.none() | st.text(max_size=10),
            "photos": st.lists(SHA, max_size=2),
        },
    ),
    max_size=3,
)
ODD_RESULT = st.fixed_dictionaries(
    {},
    optional={
        "key": st.text(max_size=70) | json_scalars,
        "value": json_scalars,
        "note": _over(2000) | json_scalars,
        "photos": st.lists(SHA | st.text(max_size=3), max_size=2) | json_scalars,
        "colour": json_scalars,
    },
)
INSPECTIONS = _records(
    {
        "?visit_uuid": st.none() | st.uuids().map(str),
        "tag": st.text(min_size=1, max_size=64),
        "template_id": INT32,
        "template_version": INT32,
        "inspection_kind": st.sampled_from(INSPECTION_KINDS),
        "?results": RESULTS,
        "?notes": st.none() | st.text(max_size=10),
        "?photos": st.lists(SHA, max_size=3),
        "?supersedes": st.none() | st.uuids().map(str),
        "?tag_source": st.none() | st.sampled_from(TAG_SOURCES),
    },
    {
        "visit_uuid": _uuid_texts() | json_scalars,
        "tag": _over(64) | st.just("") | json_scalars,
        "template_id": st.integers(-(2**32), 2**32) | json_scalars,
        "template_version": st.integers(-(2**32), 2**32) | json_scalars,
        "inspection_kind": json_scalars | st.lists(json_scalars, max_size=1),
        "results": st.lists(ODD_RESULT | json_scalars, min_size=1, max_size=3) | json_scalars,
        "notes": _over(4000) | json_scalars,
        "tag_source": json_scalars,
        "photos": st.lists(SHA | json_scalars, min_size=1, max_size=3)
        | st.just(["a" * 64] * 51)
        | json_scalars,
        "supersedes": _uuid_texts() | json_scalars,
    },
)


def _agree(fast, load, raw: dict) -> None:
    assume(sync_limits.problems(raw) is None)  # the push refuses those before any fast path
    try:
        expected, refused = load(raw), False
    except ma.ValidationError:
        expected, refused = None, True
    got = fast(raw)
    event("refused" if refused else "fast" if got is not None else "slow")
    if refused:
        assert got is None, (raw, got)
    elif got is not None:
        assert got == expected, (raw, got, expected)


GOOD_ENVELOPE = {
    "uuid": str(uuid.UUID(int=7)),
    "type": "inspection",
    "client_time": "2026-03-02T10:00:00+08:00",
    "app_version": "1.2",
    "position": {"lat": 26.6, "lon": 106.7, "accuracy": 12},
    "data": {"tag": "GZ3K7M2Q"},
}
GOOD_INSPECTION = {
    "visit_uuid": str(uuid.UUID(int=8)),
    "tag": "GZ3K7M2Q",
    "template_id": 4,
    "template_version": 1,
    "inspection_kind": "quarterly",
    "results": [{"key": "power", "value": "pass", "photos": ["a" * 64]}],
    "notes": None,
    "photos": ["b" * 64],
}


def _around(good: dict, changes: dict) -> list[dict]:
    """The good record with one field at, or just beyond, each limit (or left out): every run
    tries these besides what Hypothesis draws."""
    records = [good] + [{k: v for k, v in good.items() if k != name} for name in good]
    records += [{**good, name: value} for name, values in changes.items() for value in values]
    return records


def _position(**change):
    return {**GOOD_ENVELOPE["position"], **change}


ENVELOPE_LIMITS = _around(
    GOOD_ENVELOPE,
    {
        "app_version": ["x" * 32, "x" * 33, 1, None],
        "position": [
            None,
            {},
            _position(lat=90),
            _position(lat=90.001),
            _position(lat=-91),
            _position(lon=180),
            _position(lon=180.5),
            _position(accuracy=0),
            _position(accuracy=-1),
            _position(accuracy=None),
            _position(lat=True),
            _position(lat="26.6"),
            _position(altitude=1),
            [26.6, 106.7],
        ],
        "client_time": [
            "2026-03-02T10:00:00Z",
            "2026-03-02T10:00:00",
            "2026-03-02 10:00:00+08:00",
            "2026-03-02T10:00:00.1234567+08:00",
            "2026-03-02T10:00+08:00",
            "2026-02-30T10:00:00Z",
        ],
        "uuid": [str(uuid.UUID(int=7)).upper(), uuid.UUID(int=7).hex, "not-a-uuid", 7],
        "type": [7, None],
        "data": [[], None, "x"],
    },
)
INSPECTION_LIMITS = _around(
    GOOD_INSPECTION,
    {
        "tag": ["x" * 64, "x" * 65, "", 7],
        "notes": ["x" * 4000, "x" * 4001, 7],
        "template_id": [2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 4.0, "4", True],
        "template_version": [2**31, True],
        "inspection_kind": ["weekly", ["quarterly"], None],
        "photos": [["a" * 64] * 50, ["a" * 64] * 51, ["A" * 64], None, "x"],
        "results": [
            None,
            [{"key": "x" * 65}],
            [{"key": "k", "colour": 1}],
            [{"key": "k", "note": "x" * 2001}],
        ],
        "visit_uuid": ["x", 8],
        "supersedes": ["x", None],
        "tag_source": ["camera", "typed", "list", None, "guessed", 7, ["camera"]],
        "colour": ["red"],
    },
)


def _with_examples(records):
    def decorate(test):
        for record in records:
            test = example(record)(test)
        return test

    return decorate


@MANY
@given(ENVELOPES)
@_with_examples(ENVELOPE_LIMITS)
def test_fast_envelope_agrees_with_the_envelope_schema(raw):
    _agree(fast_envelope, ENVELOPE.load, raw)


@MANY
@given(INSPECTIONS)
@_with_examples(INSPECTION_LIMITS)
def test_inspection_fast_load_agrees_with_the_inspection_schema(raw):
    schema = InspectionData()
    _agree(schema.fast_load, schema.load, raw)


def test_the_fast_paths_take_the_common_record():
    """Not vacuous: the well-formed record goes the fast way, with the schema's answer."""
    assert fast_envelope(GOOD_ENVELOPE) == ENVELOPE.load(GOOD_ENVELOPE)
    assert InspectionData().fast_load(GOOD_INSPECTION) == InspectionData().load(GOOD_INSPECTION)
