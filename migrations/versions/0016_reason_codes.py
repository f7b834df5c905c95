"""reason codes: custody reasons and swap flags stored as codes with parameters, not English prose

device_event gains reason_code + reason_params (reason keeps only what a person typed); swap's
flag_reason text becomes flags, a JSON list of {code, params}. The English sentences the services
wrote until now are mapped to their codes (server/services/reason_codes.py); a custody reason
that matches none stays as it was (typed by a person), a flag sentence that matches none becomes
{"code": "other", "params": {"text": ...}}.

Revision ID: 0016_reason_codes
Revises: 0015_report_notes
Create Date: 2026-12-02 04:00:00

"""
import json
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_reason_codes'
down_revision = '0015_report_notes'
branch_labels = None
depends_on = None

_LABEL = r"swap #(?P<swap>\d+)(?: for fault #(?P<fault>\d+))?"
CUSTODY = [  # the sentences services/faults/swaps.py, rma.py and spares.py wrote before codes
    (re.compile(rf"^installed as spare: {_LABEL}$"), "spare_installed"),
    (re.compile(rf"^sent to repair: {_LABEL}$"), "sent_to_repair"),
    (re.compile(r"^spare placed in the contractor's store$"), "spare_stocked"),
    (re.compile(r"^sent to repair \(RMA\)$"), "rma_sent"),
    (re.compile(r"^back from repair \(RMA #(?P<rma>\d+)\), kept as a spare$"), "rma_back_as_spare"),
    (re.compile(r"^scrapped by the vendor \(RMA #(?P<rma>\d+)\)$"), "rma_scrapped"),
    (re.compile(r"^back to the pool: swap #(?P<swap>\d+) undone \(RMA #(?P<rma>\d+)\)$"), "swap_undone"),
    (re.compile(r"^back from repair \(RMA #(?P<rma>\d+)\), swapped back$"), "rma_swapped_back"),
]
FLAGS = [  # the sentences of services/faults/swaps.py, as they were joined by spaces
    (
        re.compile(
            r"Spare (?P<spare_tag>\S+) is no longer in the pool: it was installed"
            r"(?: in (?P<place>.+?))?(?: by swap #(?P<swap>\d+))?\."
        ),
        "spare_not_in_pool",
    ),
    (
        re.compile(
            r"Faulty unit (?P<faulty_tag>\S+) was already moved out of its room "
            r"\(status (?P<status>\w+)\)\."
        ),
        "faulty_moved_out",
    ),
    (
        re.compile(
            r"Faulty unit (?P<faulty_tag>\S+) is now in room (?P<room>\d+) on the server, "
            r"not in room (?P<expected_room>\d+) where it was scanned\."
        ),
        "faulty_in_other_room",
    ),
]
_NUMBERS = {"swap", "fault", "rma", "room", "expected_room"}


def _params(match) -> dict:
    out = {}
    for key, value in match.groupdict().items():
        if value is None:
            continue
        if key == "place":  # "site room": the site name has no space, the room name may
            site, _, room = value.partition(" ")
            out.update(site=site, room=room)
            continue
        out[key] = int(value) if key in _NUMBERS else value
    return out


def custody_code(reason: str | None):
    """(code, params) for a reason the services wrote, or None (typed by a person)."""
    for pattern, code in CUSTODY:
        match = pattern.match(reason or "")
        if match:
            return code, _params(match)
    return None


def flags_of(text: str | None) -> list[dict] | None:
    """The flags in a stored flag_reason (one or two sentences joined by a space)."""
    if not text:
        return None
    flags, rest = [], text
    for pattern, code in FLAGS:
        match = pattern.search(rest)
        if match:
            flags.append({"code": code, "params": _params(match)})
            rest = rest.replace(match.group(0), " ")
    if rest.strip():
        flags.append({"code": "other", "params": {"text": rest.strip()}})
    return flags


def upgrade():
    with op.batch_alter_table('device_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_code', sa.String(length=32), server_default=sa.text('NULL'), nullable=True))
        batch_op.add_column(sa.Column('reason_params', sa.JSON(none_as_null=True), server_default=sa.text('NULL'), nullable=True))
    with op.batch_alter_table('swap', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flags', sa.JSON(none_as_null=True), nullable=True))

    bind = op.get_bind()
    events = sa.table(
        'device_event', sa.column('id', sa.Integer), sa.column('reason', sa.String),
        sa.column('reason_code', sa.String), sa.column('reason_params', sa.JSON),
    )
    for row in bind.execute(sa.select(events.c.id, events.c.reason).where(events.c.reason.is_not(None))).all():
        found = custody_code(row.reason)
        if found:
            code, params = found
            bind.execute(
                events.update().where(events.c.id == row.id)
                .values(reason=None, reason_code=code, reason_params=params or None)
            )
    swaps = sa.table(
        'swap', sa.column('id', sa.Integer), sa.column('flag_reason', sa.String),
        sa.column('flags', sa.JSON),
    )
    for row in bind.execute(sa.select(swaps.c.id, swaps.c.flag_reason).where(swaps.c.flag_reason.is_not(None))).all():
        bind.execute(swaps.update().where(swaps.c.id == row.id).values(flags=flags_of(row.flag_reason)))

    with op.batch_alter_table('swap', schema=None) as batch_op:
        batch_op.drop_column('flag_reason')


def _flag_text(flags) -> str | None:
    """Downgrade: the flags as one English line again (parameters only, not the old wording)."""
    if isinstance(flags, str):
        flags = json.loads(flags)
    if not flags:
        return None
    return " ".join(f"{f['code']}: {json.dumps(f.get('params') or {}, ensure_ascii=False)}" for f in flags)[:512]


def downgrade():
    with op.batch_alter_table('swap', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flag_reason', sa.String(length=512), nullable=True))
    bind = op.get_bind()
    swaps = sa.table(
        'swap', sa.column('id', sa.Integer), sa.column('flag_reason', sa.String),
        sa.column('flags', sa.JSON),
    )
    for row in bind.execute(sa.select(swaps.c.id, swaps.c.flags).where(swaps.c.flags.is_not(None))).all():
        bind.execute(swaps.update().where(swaps.c.id == row.id).values(flag_reason=_flag_text(row.flags)))
    events = sa.table(
        'device_event', sa.column('id', sa.Integer), sa.column('reason', sa.String),
        sa.column('reason_code', sa.String),
    )
    bind.execute(
        events.update().where(events.c.reason_code.is_not(None), events.c.reason.is_(None))
        .values(reason=events.c.reason_code)
    )
    with op.batch_alter_table('swap', schema=None) as batch_op:
        batch_op.drop_column('flags')
    with op.batch_alter_table('device_event', schema=None) as batch_op:
        batch_op.drop_column('reason_params')
        batch_op.drop_column('reason_code')
