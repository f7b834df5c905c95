"""visit_target and visit_tally: each visit's distinct current targets for coverage, and their
counts, filled from existing rows

Revision ID: 0006_visit_target
Revises: 0005_plans
Create Date: 2026-11-24 08:30:00

The backfill restates services/visit_targets.targets() with tables of its own, so this
migration keeps working whatever the models become later.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_visit_target'
down_revision = '0005_plans'
branch_labels = None
depends_on = None

COLUMNS = ("visit_id", "site_id", "inspection_kind", "started_at", "device_id", "tag",
           "type_id", "own", "failed_items", "previous_at")


def upgrade():
    target = op.create_table('visit_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('inspection_kind', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('tag', sa.String(length=16), nullable=True),
    sa.Column('type_id', sa.Integer(), nullable=True),
    sa.Column('own', sa.Boolean(), nullable=False),
    sa.Column('failed_items', sa.Integer(), nullable=False),
    sa.Column('previous_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_target_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_target'))
    )
    with op.batch_alter_table('visit_target', schema=None) as batch_op:
        batch_op.create_index('ix_visit_target_coverage', ['inspection_kind', 'started_at', 'site_id', 'own', 'type_id', 'previous_at', 'failed_items'], unique=False)
        batch_op.create_index('ix_visit_target_device', ['device_id', 'site_id', 'inspection_kind', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_target_visit_id'), ['visit_id'], unique=False)

    tally = op.create_table('visit_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('inspection_kind', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('own', sa.Boolean(), nullable=False),
    sa.Column('previous_at', sa.DateTime(), nullable=True),
    sa.Column('targets', sa.Integer(), nullable=False),
    sa.Column('failed_items', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_tally_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_tally'))
    )
    with op.batch_alter_table('visit_tally', schema=None) as batch_op:
        batch_op.create_index('ix_visit_tally_coverage', ['inspection_kind', 'started_at', 'site_id', 'own', 'previous_at', 'targets', 'failed_items'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_tally_visit_id'), ['visit_id'], unique=False)

    op.execute(target.insert().from_select(COLUMNS, _targets()))
    keys = [target.c[name] for name in TALLY_COLUMNS[:-2]]
    op.execute(tally.insert().from_select(TALLY_COLUMNS, sa.select(
        *keys, sa.func.count(), sa.func.sum(target.c.failed_items)).group_by(*keys)))


TALLY_COLUMNS = ("visit_id", "site_id", "inspection_kind", "started_at", "own", "previous_at",
                 "targets", "failed_items")


def _targets():
    inspection = sa.table("inspection", *map(sa.column, ("id", "uuid", "visit_id", "device_id",
                                                         "tag", "supersedes_uuid")))
    newer = inspection.alias("newer")
    result = sa.table("inspection_result", *map(sa.column, ("inspection_id", "outcome")))
    visit = sa.table("visit", *map(sa.column, ("id", "site_id", "inspection_kind", "started_at")))
    device = sa.table("device", *map(sa.column, ("id", "room_id", "status", "type_id")))
    room = sa.table("room", *map(sa.column, ("id", "site_id")))
    fails = (sa.select(sa.func.count()).where(result.c.inspection_id == inspection.c.id,
                                               result.c.outcome == "fail").scalar_subquery())
    own = sa.case((sa.and_(room.c.site_id == visit.c.site_id,
                           device.c.status.in_(("in_service", "faulty", "in_repair"))), sa.true()),
                  else_=sa.false())
    each = (sa.select(inspection.c.visit_id, visit.c.site_id, visit.c.inspection_kind,
                      visit.c.started_at, inspection.c.device_id,
                      sa.case((inspection.c.device_id.is_(None), inspection.c.tag)).label("tag"),
                      device.c.type_id, own.label("own"), fails.label("fails"))
            .select_from(inspection.join(visit, visit.c.id == inspection.c.visit_id)
                         .outerjoin(device, device.c.id == inspection.c.device_id)
                         .outerjoin(room, room.c.id == device.c.room_id))
            .where(~sa.exists().where(newer.c.supersedes_uuid == inspection.c.uuid))
            .subquery())
    keys = [each.c[name] for name in COLUMNS[:-2]]
    per_visit = (sa.select(*keys, sa.func.sum(each.c.fails).label("failed_items"))
                 .group_by(*keys).subquery())
    previous = sa.func.lag(per_visit.c.started_at, type_=per_visit.c.started_at.type).over(
        partition_by=(per_visit.c.site_id, per_visit.c.inspection_kind, per_visit.c.device_id,
                      per_visit.c.tag),
        order_by=(per_visit.c.started_at, per_visit.c.visit_id))
    return sa.select(*(per_visit.c[name] for name in COLUMNS[:-1]), previous.label("previous_at"))


def downgrade():
    with op.batch_alter_table('visit_tally', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_tally_visit_id'))
        batch_op.drop_index('ix_visit_tally_coverage')

    op.drop_table('visit_tally')
    with op.batch_alter_table('visit_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_target_visit_id'))
        batch_op.drop_index('ix_visit_target_device')
        batch_op.drop_index('ix_visit_target_coverage')

    op.drop_table('visit_target')
