"""the scenario library: authored scenarios (owner, shares, draft with a revision) and who
published each version

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 13:30:00

Bundled scenarios keep no owner (owner_id NULL) and no publisher.
"""
import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("published_by", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_scenarios_owner_id"), ["owner_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_scenarios_owner_id_facilitators", "facilitators", ["owner_id"], ["id"]
        )
    op.create_table(
        "authored_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("saved_by", sa.String(length=80), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["facilitators.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("authored_scenarios", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_authored_scenarios_owner_id"), ["owner_id"], unique=False
        )
    op.create_table(
        "authored_scenario_shares",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["facilitator_id"], ["facilitators.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["scenario_id"], ["authored_scenarios.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("scenario_id", "facilitator_id"),
    )


def downgrade():
    op.drop_table("authored_scenario_shares")
    with op.batch_alter_table("authored_scenarios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_authored_scenarios_owner_id"))
    op.drop_table("authored_scenarios")
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.drop_constraint("fk_scenarios_owner_id_facilitators", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_scenarios_owner_id"))
        batch_op.drop_column("published_at")
        batch_op.drop_column("published_by")
        batch_op.drop_column("owner_id")
