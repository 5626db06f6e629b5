"""languages: a person's own, and each channel's

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "personsetting",
        sa.Column("slack_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "language IN ('english', 'maori', 'bilingual')", name=op.f("ck_personsetting_language")
        ),
        sa.PrimaryKeyConstraint("slack_user_id", name=op.f("pk_personsetting")),
    )
    with op.batch_alter_table("trial", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_trial_language"), "language IN ('english', 'maori', 'bilingual')"
        )


def downgrade() -> None:
    with op.batch_alter_table("trial", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_trial_language"), type_="check")
        batch_op.drop_column("language")

    op.drop_table("personsetting")
