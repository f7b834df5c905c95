"""thermal print: a print job's status, printer, last error and attempts (a failed send is kept to retry)

Revision ID: 0030_thermal_print
Revises: 0028_phone_reports
Create Date: 2026-12-03 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030_thermal_print'
down_revision = "0029_backups"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=8), server_default='done', nullable=False))
        batch_op.add_column(sa.Column('printer', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('error', sa.String(length=512), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('error')
        batch_op.drop_column('printer')
        batch_op.drop_column('status')
