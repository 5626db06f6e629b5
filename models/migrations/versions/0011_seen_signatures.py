"""signatures seen: replays refused across restarts and instances

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 01:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seensignature",
        sa.Column("signature", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("seen_at", models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("signature", name=op.f("pk_seensignature")),
    )
    with op.batch_alter_table("seensignature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seensignature_seen_at"), ["seen_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("seensignature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seensignature_seen_at"))
    op.drop_table("seensignature")
