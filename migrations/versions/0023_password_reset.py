"""users: an admin's one-time reset code and the forced password change
(user.must_change_password, user.reset_code_hash, user.reset_code_expires_at,
user_session.by_reset_code)

Revision ID: 0023_password_reset
Revises: 0022_site_close
Create Date: 2026-12-03 14:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0023_password_reset"
down_revision = "0022_site_close"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(sa.Column("reset_code_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("reset_code_expires_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("by_reset_code", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_column("by_reset_code")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("reset_code_expires_at")
        batch_op.drop_column("reset_code_hash")
        batch_op.drop_column("must_change_password")
