"""fault assignee: fault.assignee_id (the engineer the desk gave it to), fault_step.assignee_id

An `assigned` / `unassigned` step records each change of fault.assignee_id (who, when, to whom).

Revision ID: 0021_fault_assignee
Revises: 0020_meeting_log
Create Date: 2026-12-03 08:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021_fault_assignee"
down_revision = "0020_meeting_log"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("fault", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_fault_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_fault_assignee_id_user"), "user", ["assignee_id"], ["id"]
        )
    with op.batch_alter_table("fault_step", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_fault_step_assignee_id_user"), "user", ["assignee_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("fault_step", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_fault_step_assignee_id_user"), type_="foreignkey")
        batch_op.drop_column("assignee_id")
    with op.batch_alter_table("fault", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_fault_assignee_id_user"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_fault_assignee_id"))
        batch_op.drop_column("assignee_id")
