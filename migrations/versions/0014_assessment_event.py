"""assessment_event: deductions and bonuses entered by supervisors, append-only

Revision ID: 0014_assessment_event
Revises: 0013_handover_jobs
Create Date: 2026-12-02 03:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_assessment_event'
down_revision = '0013_handover_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assessment_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=16), nullable=False),
    sa.Column('item', sa.String(length=32), nullable=False),
    sa.Column('rule', sa.String(length=48), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('fault_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_assessment_event_entered_by_id_user')),
    sa.ForeignKeyConstraint(['fault_id'], ['fault.id'], name=op.f('fk_assessment_event_fault_id_fault')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['assessment_event.id'], name=op.f('fk_assessment_event_supersedes_id_assessment_event')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_event')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_assessment_event_supersedes_id'))
    )
    with op.batch_alter_table('assessment_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_event_fault_id'), ['fault_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_event_form'), ['form'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_event_occurred_on'), ['occurred_on'], unique=False)


def downgrade():
    with op.batch_alter_table('assessment_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_event_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_assessment_event_form'))
        batch_op.drop_index(batch_op.f('ix_assessment_event_fault_id'))

    op.drop_table('assessment_event')
