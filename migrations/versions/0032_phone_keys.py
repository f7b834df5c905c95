"""phone keys: the signing key a phone gets at sign-in, and imports of phones' files

Revision ID: 0032_phone_keys
Revises: 0031_evidence_chain
Create Date: 2026-12-04 01:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0032_phone_keys'
down_revision = "0031_evidence_chain"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('phone_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_id', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('phone_id', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('secret', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['user_session.id'], name=op.f('fk_phone_key_session_id_user_session'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_phone_key_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phone_key')),
    sa.UniqueConstraint('key_id', name=op.f('uq_phone_key_key_id'))
    )
    with op.batch_alter_table('phone_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phone_key_phone_id'), ['phone_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_phone_key_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_phone_key_user_id'), ['user_id'], unique=False)
    op.create_table('sync_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_id', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('phone_id', sa.String(length=64), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('exported_at', sa.String(length=40), nullable=True),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.Column('conflicts', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('photos', sa.Integer(), nullable=False),
    sa.Column('receipt', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['user.id'], name=op.f('fk_sync_import_imported_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sync_import_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_import'))
    )
    with op.batch_alter_table('sync_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_import_file_sha256'), ['file_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_import_key_id'), ['key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_import_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sync_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_import_user_id'))
        batch_op.drop_index(batch_op.f('ix_sync_import_key_id'))
        batch_op.drop_index(batch_op.f('ix_sync_import_file_sha256'))
    op.drop_table('sync_import')
    with op.batch_alter_table('phone_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phone_key_user_id'))
        batch_op.drop_index(batch_op.f('ix_phone_key_session_id'))
        batch_op.drop_index(batch_op.f('ix_phone_key_phone_id'))
    op.drop_table('phone_key')
