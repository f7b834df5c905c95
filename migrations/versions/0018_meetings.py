"""meetings: meeting, its participating sites, its engineers, its revision history; visit.meeting_id

Revision ID: 0018_meetings
Revises: 0017_autovacuum_ingest
Create Date: 2026-12-02 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_meetings'
down_revision = '0017_autovacuum_ingest'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('platform', sa.String(length=24), nullable=True),
    sa.Column('host_site_id', sa.Integer(), nullable=False),
    sa.Column('host_room_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('major_event', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['host_site_id'], ['site.id'], name=op.f('fk_meeting_host_site_id_site')),
    sa.ForeignKeyConstraint(['host_room_id'], ['room.id'], name=op.f('fk_meeting_host_room_id_room')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_meeting_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_host_site_id'), ['host_site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_updated_at'), ['updated_at'], unique=False)

    op.create_table('meeting_site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('speaking', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_site_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_meeting_site_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_site')),
    sa.UniqueConstraint('meeting_id', 'site_id', name='uq_meeting_site_meeting_id_site_id')
    )
    with op.batch_alter_table('meeting_site', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_site_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_site_site_id'), ['site_id'], unique=False)

    op.create_table('meeting_engineer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_engineer_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_meeting_engineer_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_engineer')),
    sa.UniqueConstraint('meeting_id', 'user_id', name='uq_meeting_engineer_meeting_id_user_id')
    )
    with op.batch_alter_table('meeting_engineer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_engineer_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_engineer_user_id'), ['user_id'], unique=False)

    op.create_table('meeting_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_revision_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_meeting_revision_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_revision')),
    sa.UniqueConstraint('meeting_id', 'version', name='uq_meeting_revision_meeting_id_version')
    )
    with op.batch_alter_table('meeting_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_revision_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_visit_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_visit_meeting_id_meeting'), 'meeting', ['meeting_id'], ['id'])


def downgrade():
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_visit_meeting_id_meeting'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_visit_meeting_id'))
        batch_op.drop_column('meeting_id')

    for table in ('meeting_revision', 'meeting_engineer', 'meeting_site'):
        op.drop_table(table)
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_updated_at'))
        batch_op.drop_index(batch_op.f('ix_meeting_starts_at'))
        batch_op.drop_index(batch_op.f('ix_meeting_host_site_id'))
    op.drop_table('meeting')
