"""fault desk: comments (fault_comment), escalation (fault.level, fault.tier, fault_step.level,
fault_step.tier), device types retired (device_type.retired_at); clear the English "source: ..."
notes older code wrote into fault_step.note

A comment is its own record (who, the server's time, text, evidence files), not a re-posted
step. The fault's own `source` column says field or phone; the notes "source: field" and
"source: phone" repeated it in English on the report step, so they are removed (set to null).

Revision ID: 0024_fault_comments
Revises: 0023_password_reset
Create Date: 2026-12-03 14:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0024_fault_comments"
down_revision = "0023_password_reset"
branch_labels = None
depends_on = None

SOURCE_NOTES = ("source: field", "source: phone")


def upgrade():
    op.create_table(
        "fault_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fault_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("server_time", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["fault_id"], ["fault.id"], name="fk_fault_comment_fault_id_fault"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name="fk_fault_comment_user_id_user"),
        sa.PrimaryKeyConstraint("id", name="pk_fault_comment"),
    )
    with op.batch_alter_table("fault_comment", schema=None) as batch_op:
        batch_op.create_index("ix_fault_comment_fault_id", ["fault_id"], unique=False)
    with op.batch_alter_table("fault", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level", sa.SmallInteger(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "tier", sa.String(length=16), nullable=False, server_default="first_line"
            )
        )
    with op.batch_alter_table("fault_step", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("tier", sa.String(length=16), nullable=True))
    with op.batch_alter_table("device_type", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))
    step = sa.table("fault_step", sa.column("note", sa.Text()))
    # Only the exact sentences older code wrote; anything a person typed stays.
    op.execute(
        step.update()
        .where(sa.func.trim(step.c.note).in_(SOURCE_NOTES))
        .values(note=None)
    )


def downgrade():
    # The removed English notes are not written back: the fault's `source` column keeps the fact.
    with op.batch_alter_table("device_type", schema=None) as batch_op:
        batch_op.drop_column("retired_at")
    with op.batch_alter_table("fault_step", schema=None) as batch_op:
        batch_op.drop_column("tier")
        batch_op.drop_column("level")
    with op.batch_alter_table("fault", schema=None) as batch_op:
        batch_op.drop_column("tier")
        batch_op.drop_column("level")
    with op.batch_alter_table("fault_comment", schema=None) as batch_op:
        batch_op.drop_index("ix_fault_comment_fault_id")
    op.drop_table("fault_comment")
