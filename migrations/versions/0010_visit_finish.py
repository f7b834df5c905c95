"""visit_finish: a visit pushed when it started, finished by a later record

Revision ID: 0010_visit_finish
Revises: 0009_supersede_state
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_visit_finish'
down_revision = '0009_supersede_state'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visit_finish',
    sa.Column('visit_uuid', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=8), nullable=False),
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
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_visit_finish_user_id_user')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_finish_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_finish')),
    sa.UniqueConstraint('uuid', name=op.f('uq_visit_finish_uuid'))
    )
    with op.batch_alter_table('visit_finish', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_finish_server_time'), ['server_time'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_finish_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_finish_visit_id'), ['visit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_finish_visit_uuid'), ['visit_uuid'], unique=False)


def downgrade():
    with op.batch_alter_table('visit_finish', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_finish_visit_uuid'))
        batch_op.drop_index(batch_op.f('ix_visit_finish_visit_id'))
        batch_op.drop_index(batch_op.f('ix_visit_finish_user_id'))
        batch_op.drop_index(batch_op.f('ix_visit_finish_server_time'))

    op.drop_table('visit_finish')
