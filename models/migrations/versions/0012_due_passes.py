"""passes due: canvas rewrites coalesced across instances

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 01:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duepass",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("due_at", models.types.UTCDateTime(), nullable=False),
        sa.Column("holder", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("leased_until", models.types.UTCDateTime(), nullable=False),
        sa.Column("again", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_duepass")),
    )
    with op.batch_alter_table("duepass", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duepass_due_at"), ["due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("duepass", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duepass_due_at"))
    op.drop_table("duepass")
