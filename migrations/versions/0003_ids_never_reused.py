"""ids never reused; a random nonce per session

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:15:00

A deleted session's id, and its players' ids, must never name a new session or seat: sockets,
tokens and links carry them. PostgreSQL sequences never go back, so there only the nonce is new.
SQLite reuses the highest deleted rowid unless the table is AUTOINCREMENT, which only a rebuild of
the table can add (`env.py` turns foreign keys off around migrations on SQLite, so rebuilding a
referenced table cascades nothing). Each existing session gets a random nonce; observer tokens
issued before this migration stop working (they are bound to the nonce now).
"""
import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("facilitators", "sessions", "players")


def upgrade():
    bind = op.get_bind()
    op.add_column("sessions", sa.Column("nonce", sa.String(length=32), nullable=True))
    sessions = sa.table("sessions", sa.column("id", sa.Integer), sa.column("nonce", sa.String))
    for (session_id,) in bind.execute(sa.select(sessions.c.id)).all():
        bind.execute(
            sessions.update()
            .where(sessions.c.id == session_id)
            .values(nonce=secrets.token_urlsafe(16))
        )
    sqlite = bind.dialect.name == "sqlite"
    for table in TABLES:
        kwargs = {"recreate": "always", "table_kwargs": {"sqlite_autoincrement": True}}
        with op.batch_alter_table(table, **(kwargs if sqlite else {})) as batch_op:
            if table == "sessions":
                batch_op.alter_column(
                    "nonce", existing_type=sa.String(length=32), nullable=False
                )


def downgrade():
    with op.batch_alter_table("sessions") as batch_op:
        batch_op.drop_column("nonce")
