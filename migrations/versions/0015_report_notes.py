"""report_note: the recommendations typed into a report of one kind and period

Revision ID: 0015_report_notes
Revises: 0014_assessment_event
Create Date: 2026-12-02 03:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_report_notes'
down_revision = '0014_assessment_event'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_report_note_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_note')),
    sa.UniqueConstraint('kind', 'period', name='uq_report_note_kind_period')
    )
    with op.batch_alter_table('report_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_note_updated_at'), ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('report_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_note_updated_at'))

    op.drop_table('report_note')
