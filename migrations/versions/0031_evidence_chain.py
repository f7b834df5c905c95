"""evidence chain: the head row and one hash-linked link per accepted record

Revision ID: 0031_evidence_chain
Revises: 0030_thermal_print
Create Date: 2026-12-03 18:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0031_evidence_chain'
down_revision = "0030_thermal_print"
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64


def upgrade():
    head = op.create_table('evidence_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_head'))
    )
    # The one head row every push locks; records accepted before the chain existed are not in it.
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS_HASH}])
    op.create_table('evidence_link',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('prev_link_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('record_type', sa.String(length=32), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('server_time', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('phone_id', sa.String(length=64), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_evidence_link_user_id_user')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_evidence_link')),
    sa.UniqueConstraint('record_uuid', name=op.f('uq_evidence_link_record_uuid'))
    )
    with op.batch_alter_table('evidence_link', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_link_phone_chain', ['phone_id', 'user_id', 'content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_link_server_time'), ['server_time'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_link_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('evidence_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_link_user_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_link_server_time'))
        batch_op.drop_index('ix_evidence_link_phone_chain')
    op.drop_table('evidence_link')
    op.drop_table('evidence_head')
