"""inspection.supersede_state: only a valid correction takes its original out of coverage;
corrections already stored are judged by the rule of services/field/corrections.py

Revision ID: 0009_supersede_state
Revises: 0008_sync_received_by
Create Date: 2026-12-02 08:00:00

The rule is restated here (same device or unknown tag, same visit when the original has
one, same engineer or a supervisor/admin), so this migration keeps working whatever the
services become later. Corrections that break it become `review`; coverage's derived rows
counted them as valid, so the upgrade then says to run `xunjian coverage rebuild`.
"""
import logging

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_supersede_state'
down_revision = "0008_sync_received_by"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supersede_state', sa.String(length=8), nullable=True))
    verdicts = _judge_stored_corrections(op.get_bind())
    inspection = sa.table("inspection", sa.column("id"), sa.column("supersede_state"))
    for state, ids in verdicts.items():
        for start in range(0, len(ids), 500):
            op.execute(inspection.update().where(inspection.c.id.in_(ids[start:start + 500]))
                       .values(supersede_state=state))
    if verdicts["review"]:
        log.warning("%d stored corrections break the correction rule and are kept for review; "
                    "run `xunjian coverage rebuild` so coverage counts their originals again.",
                    len(verdicts["review"]))


def _judge_stored_corrections(bind) -> dict[str, list[int]]:
    columns = ("id", "uuid", "user_id", "device_id", "tag", "visit_uuid", "supersedes_uuid")
    correction = sa.table("inspection", *map(sa.column, columns)).alias("correction")
    original = sa.table("inspection", *map(sa.column, columns)).alias("original")
    user = sa.table("user", sa.column("id"), sa.column("role"))
    query = (sa.select(correction.c.id, correction.c.user_id, correction.c.device_id,
                       correction.c.tag, correction.c.visit_uuid, user.c.role,
                       original.c.id.label("o_id"), original.c.user_id.label("o_user_id"),
                       original.c.device_id.label("o_device_id"), original.c.tag.label("o_tag"),
                       original.c.visit_uuid.label("o_visit_uuid"))
             .select_from(correction.join(user, user.c.id == correction.c.user_id)
                          .outerjoin(original, original.c.uuid == correction.c.supersedes_uuid))
             .where(correction.c.supersedes_uuid.is_not(None)))
    verdicts: dict[str, list[int]] = {"valid": [], "pending": [], "review": []}
    for row in bind.execute(query):
        verdicts[_verdict(row)].append(row.id)
    return verdicts


def _verdict(row) -> str:
    if row.o_id is None:
        return "pending"
    if row.user_id != row.o_user_id and row.role not in ("supervisor", "admin"):
        return "review"
    both_known = row.device_id is not None and row.o_device_id is not None
    if (row.device_id != row.o_device_id) if both_known else (row.tag != row.o_tag):
        return "review"
    if row.o_visit_uuid and row.visit_uuid != row.o_visit_uuid:
        return "review"
    return "valid"


def downgrade():
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_column('supersede_state')
