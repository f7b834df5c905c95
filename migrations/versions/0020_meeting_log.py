"""meeting log: in-meeting incidents (maybe turned into a fault) and usage registers

Revision ID: 0020_meeting_log
Revises: 0018_meetings (to be re-pointed to 0019_meeting_checks when merged after it)
Create Date: 2026-12-03 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_meeting_log'
down_revision = '0019_meeting_checks'
branch_labels = None
depends_on = None


def _record_columns():
    """FieldRecord's columns: identity, both clocks, where, which app."""
    return [
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
    ]


def _record_indexes(table):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f(f'ix_{table}_server_time'), ['server_time'], unique=False)
        batch_op.create_index(batch_op.f(f'ix_{table}_user_id'), ['user_id'], unique=False)


def upgrade():
    op.create_table('meeting_incident',
    *_record_columns(),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('duration_min', sa.Integer(), nullable=True),
    sa.Column('action', sa.Text(), nullable=True),
    sa.Column('to_fault', sa.Boolean(), nullable=False),
    sa.Column('tag', sa.String(length=32), nullable=True),
    sa.Column('fault_id', sa.Integer(), nullable=True),
    sa.Column('flags', sa.JSON(none_as_null=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_meeting_incident_user_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_incident_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_meeting_incident_site_id_site')),
    sa.ForeignKeyConstraint(['fault_id'], ['fault.id'], name=op.f('fk_meeting_incident_fault_id_fault')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_incident')),
    sa.UniqueConstraint('uuid', name=op.f('uq_meeting_incident_uuid'))
    )
    _record_indexes('meeting_incident')

    op.create_table('usage_register',
    *_record_columns(),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=False),
    sa.Column('operators', sa.Text(), nullable=True),
    sa.Column('state_before', sa.Text(), nullable=True),
    sa.Column('state_after', sa.Text(), nullable=True),
    sa.Column('shutdown', sa.JSON(), nullable=False),
    sa.Column('recordings', sa.JSON(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('signature_photo_id', sa.String(length=64), nullable=True),
    sa.Column('flags', sa.JSON(none_as_null=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_usage_register_user_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_usage_register_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_usage_register')),
    sa.UniqueConstraint('uuid', name=op.f('uq_usage_register_uuid'))
    )
    _record_indexes('usage_register')


def downgrade():
    for table in ('usage_register', 'meeting_incident'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in ('user_id', 'server_time', 'meeting_id'):
                batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
        op.drop_table(table)
