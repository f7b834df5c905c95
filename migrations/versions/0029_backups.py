"""backups: every backup run, its file and its restore check

Revision ID: 0029_backups
Revises: 0028_phone_reports
Create Date: 2026-12-03 18:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0029_backups"
down_revision = "0028_phone_reports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "backup_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("ran_by", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("file_name", sa.String(length=128), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("db_kind", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.String(length=64), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("digests", sa.JSON(), nullable=False),
        sa.Column("photos", sa.Integer(), nullable=True),
        sa.Column("check_seconds", sa.Float(), nullable=True),
        sa.Column("pruned_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backup_run")),
    )
    with op.batch_alter_table("backup_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_backup_run_started_at"), ["started_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_backup_run_state"), ["state"], unique=False)


def downgrade():
    with op.batch_alter_table("backup_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_backup_run_state"))
        batch_op.drop_index(batch_op.f("ix_backup_run_started_at"))
    op.drop_table("backup_run")
