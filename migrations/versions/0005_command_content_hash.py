"""commands keep a hash of their content

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 13:30:00

A re-sent command id is answered with the first answer only when the command is the same; an id
used again for different content is refused (`id_reused`). The `commands` row keeps a SHA-256 of
the command's canonical content to tell the two apart. Rows recorded before this migration have
no hash (NULL) and keep the old rule: a re-sent id gets the first answer.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("commands", sa.Column("content_hash", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("commands") as batch_op:
        batch_op.drop_column("content_hash")
