"""meeting checks: the arrival, site confirmation and joint-test records pushed from the phone

Revision ID: 0019_meeting_checks
Revises: 0018_meetings
Create Date: 2026-12-03 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_meeting_checks'
down_revision = '0018_meetings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('client_time', sa.DateTime(), nullable=False),
    sa.Column('server_time', sa.DateTime(), nullable=False),
    sa.Column('clock_skew_seconds', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('accuracy_m', sa.Double(), nullable=True),
    sa.Column('app_version', sa.String(length=32), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_by', sa.String(length=200), nullable=True),
    sa.Column('sound', sa.String(length=4), nullable=True),
    sa.Column('picture', sa.String(length=4), nullable=True),
    sa.Column('pc_content', sa.String(length=4), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('flags', sa.JSON(none_as_null=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_check_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_meeting_check_site_id_site')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_meeting_check_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_check')),
    sa.UniqueConstraint('uuid', name=op.f('uq_meeting_check_uuid'))
    )
    with op.batch_alter_table('meeting_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_check_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_check_server_time'), ['server_time'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_check_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_check_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('meeting_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_check_user_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_check_site_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_check_server_time'))
        batch_op.drop_index(batch_op.f('ix_meeting_check_meeting_id'))
    op.drop_table('meeting_check')
