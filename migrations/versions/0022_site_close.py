"""sites and rooms: coordinates and closing (site.lat, site.lon, site.closed_at,
site.closed_reason, room.closed_at)

A bureau that moves or merges is closed, never deleted, so its history keeps its place.

Revision ID: 0022_site_close
Revises: 0021_fault_assignee
Create Date: 2026-12-03 09:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0022_site_close"
down_revision = "0021_fault_assignee"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lat", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("lon", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("closed_reason", sa.String(length=256), nullable=True))
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_column("closed_reason")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("lon")
        batch_op.drop_column("lat")
