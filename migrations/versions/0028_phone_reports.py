"""phone reports: the last outbox state each phone reported per user, and what it lost

Revision ID: 0028_phone_reports
Revises: 0027_set_aside
Create Date: 2026-12-03 15:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028_phone_reports'
down_revision = "0027_set_aside"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('phone_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('waiting', sa.Integer(), nullable=False),
    sa.Column('oldest_at', sa.DateTime(), nullable=True),
    sa.Column('uuids', sa.JSON(), nullable=False),
    sa.Column('lost_uuids', sa.JSON(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_phone_report_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phone_report')),
    sa.UniqueConstraint('phone_id', 'user_id', name='uq_phone_report_phone_id_user_id')
    )
    with op.batch_alter_table('phone_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phone_report_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('phone_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phone_report_user_id'))
    op.drop_table('phone_report')
