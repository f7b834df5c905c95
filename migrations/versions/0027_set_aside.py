"""set_aside: records the server refused that their engineer set aside with a reason

Revision ID: 0027_set_aside
Revises: 0026_reminders
Create Date: 2026-12-03 15:45:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0027_set_aside"
down_revision = "0026_reminders"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "set_aside",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_set_aside_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_set_aside")),
        sa.UniqueConstraint("record_uuid", name=op.f("uq_set_aside_record_uuid")),
    )
    with op.batch_alter_table("set_aside", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_set_aside_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_set_aside_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("set_aside", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_set_aside_user_id"))
        batch_op.drop_index(batch_op.f("ix_set_aside_created_at"))
    op.drop_table("set_aside")
