"""the inbox: changes acknowledged before they are made

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 12:47:02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "receivedcommand",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("received_at", models.types.UTCDateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receivedcommand")),
    )
    with op.batch_alter_table("receivedcommand", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_receivedcommand_received_at"), ["received_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("receivedcommand", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receivedcommand_received_at"))
    op.drop_table("receivedcommand")
