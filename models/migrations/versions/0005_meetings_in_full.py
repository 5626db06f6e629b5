"""meetings in full: decisions, carried-over items, apologies, guests, series, minutes files

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agendaitem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("carried_from_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_agendaitem_carried_from_id_meeting"),
            "meeting",
            ["carried_from_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("minutes_file", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "minutes_file_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True
            )
        )
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("repeat", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_meeting_series_id_meeting"),
            "meeting",
            ["series_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("meetingattendance", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="present",
            )
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_meetingattendance_kind"), "kind IN ('present', 'apology')"
        )
    op.create_table(
        "meetingguest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("organisation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meetingguest_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetingguest")),
    )
    with op.batch_alter_table("meetingguest", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meetingguest_meeting_id"), ["meeting_id"], unique=False
        )
    op.create_table(
        "pendingchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pendingchange")),
    )


def downgrade() -> None:
    op.drop_table("pendingchange")
    with op.batch_alter_table("meetingguest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetingguest_meeting_id"))
    op.drop_table("meetingguest")
    with op.batch_alter_table("meetingattendance", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_meetingattendance_kind"), type_="check")
        batch_op.drop_column("kind")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_meeting_series_id_meeting"), type_="foreignkey")
        batch_op.drop_column("repeat")
        batch_op.drop_column("series_id")
        batch_op.drop_column("minutes_file_name")
        batch_op.drop_column("minutes_file")
    with op.batch_alter_table("agendaitem", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_agendaitem_carried_from_id_meeting"), type_="foreignkey"
        )
        batch_op.drop_column("carried_from_id")
        batch_op.drop_column("decision")
