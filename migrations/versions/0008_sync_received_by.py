"""sync_receipt.received_by_id: the supervisor who pushed a record another user made

Revision ID: 0008_sync_received_by
Revises: 0007_login_failure
Create Date: 2026-11-25 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_sync_received_by'
down_revision = '0007_login_failure'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sync_receipt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_sync_receipt_received_by_id_user'), 'user',
                                    ['received_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('sync_receipt', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sync_receipt_received_by_id_user'), type_='foreignkey')
        batch_op.drop_column('received_by_id')
