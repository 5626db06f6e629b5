"""a trial's whole life: programmes and services, the transition review, handover

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programmeitem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("funding_cents", sa.BigInteger(), nullable=True),
        sa.Column("from_date", sa.Date(), nullable=True),
        sa.Column("until_date", sa.Date(), nullable=True),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("coordination", sa.Boolean(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("funding_cents >= 0", name=op.f("ck_programmeitem_funding")),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome.id"],
            name=op.f("fk_programmeitem_outcome_id_outcome"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"],
            ["trial.id"],
            name=op.f("fk_programmeitem_trial_id_trial"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmeitem")),
    )
    with op.batch_alter_table("programmeitem", schema=None) as batch_op:
        batch_op.create_index(
            "ix_programme_item_trial_until", ["trial_id", "until_date"], unique=False
        )

    op.create_table(
        "reviewdecision",
        sa.Column("programme_item_id", sa.Integer(), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("carried_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("decided_at", models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('continue', 'integrate', 'exit')", name=op.f("ck_reviewdecision_decision")
        ),
        sa.ForeignKeyConstraint(
            ["programme_item_id"],
            ["programmeitem.id"],
            name=op.f("fk_reviewdecision_programme_item_id_programmeitem"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("programme_item_id", name=op.f("pk_reviewdecision")),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("programme_item_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_task_programme_item_id_programmeitem"),
            "programmeitem",
            ["programme_item_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("trial", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_deadline_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("handed_over_at", models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("handed_over_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("trial", schema=None) as batch_op:
        batch_op.drop_column("handed_over_by")
        batch_op.drop_column("handed_over_at")
        batch_op.drop_column("review_deadline_id")

    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_task_programme_item_id_programmeitem"), type_="foreignkey"
        )
        batch_op.drop_column("programme_item_id")

    op.drop_table("reviewdecision")
    with op.batch_alter_table("programmeitem", schema=None) as batch_op:
        batch_op.drop_index("ix_programme_item_trial_until")

    op.drop_table("programmeitem")
