"""tag source: how the phone got an inspection's, a fault's or a swap's tags (camera, typed, list; null unknown)

Revision ID: 0033_tag_source
Revises: 0031_evidence_chain
Create Date: 2026-12-04 01:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0033_tag_source'
down_revision = "0032_phone_keys"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable, no default: rows from before (older phones) stay unknown, not a guessed source.
    for table in ("inspection", "fault"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('tag_source', sa.String(length=8), nullable=True))
    with op.batch_alter_table("swap", schema=None) as batch_op:
        batch_op.add_column(sa.Column('faulty_tag_source', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('spare_tag_source', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("swap", schema=None) as batch_op:
        batch_op.drop_column('spare_tag_source')
        batch_op.drop_column('faulty_tag_source')
    for table in ("fault", "inspection"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('tag_source')
