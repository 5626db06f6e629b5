"""the inbox's leases: which instance holds a change, and until when

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("receivedcommand", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "holder",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column(
                "leased_until",
                models.types.UTCDateTime(),
                nullable=False,
                server_default="1970-01-01 00:00:00",
            )
        )
        batch_op.create_index(
            batch_op.f("ix_receivedcommand_leased_until"), ["leased_until"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("receivedcommand", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receivedcommand_leased_until"))
        batch_op.drop_column("leased_until")
        batch_op.drop_column("holder")
