"""revocable facilitator credentials; share links with an expiry and a scope

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('auth_version', sa.Integer(), server_default='1', nullable=False)
        )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('share_expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('share_scope', sa.String(length=16), nullable=True))
    # Links made before links had an expiry gave full access forever: they end here (the
    # facilitator makes a new one, with an expiry and a scope).
    op.execute("UPDATE sessions SET share_token_hash = NULL")


def downgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('share_scope')
        batch_op.drop_column('share_expires_at')
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.drop_column('auth_version')
