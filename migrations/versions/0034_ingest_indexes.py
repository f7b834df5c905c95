"""ingest indexes: no index on inspection.device_id alone; supersedes_uuid indexed only where set, visit_uuid only while the visit is awaited

Revision ID: 0034_ingest_indexes
Revises: 0033_tag_source
Create Date: 2026-12-04 18:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0034_ingest_indexes"
down_revision = "0033_tag_source"
branch_labels = None
depends_on = None

SET = sa.text("supersedes_uuid IS NOT NULL")
WAITING = sa.text("visit_id IS NULL AND visit_uuid IS NOT NULL")


def upgrade():
    # ix_inspection_device_id_client_time leads with device_id and answers every lookup the
    # dropped index did; partial indexes of the few corrections and of the few inspections
    # still waiting for their visit replace two random-key indexes over every row, which each
    # push had to write a leaf of per inspection (docs/coverage.md, "Seventh round").
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_device_id")
        batch_op.drop_index("ix_inspection_supersedes_uuid")
        batch_op.drop_index("ix_inspection_visit_uuid")
        batch_op.create_index(
            "ix_inspection_supersedes_uuid",
            ["supersedes_uuid"],
            unique=False,
            postgresql_where=SET,
            sqlite_where=SET,
        )
        batch_op.create_index(
            "ix_inspection_visit_uuid",
            ["visit_uuid"],
            unique=False,
            postgresql_where=WAITING,
            sqlite_where=WAITING,
        )


def downgrade():
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_visit_uuid")
        batch_op.drop_index("ix_inspection_supersedes_uuid")
        batch_op.create_index("ix_inspection_visit_uuid", ["visit_uuid"], unique=False)
        batch_op.create_index("ix_inspection_supersedes_uuid", ["supersedes_uuid"], unique=False)
        batch_op.create_index("ix_inspection_device_id", ["device_id"], unique=False)
