"""action nudges

Nudges about members' committed actions, planned and sent (ids, kinds and times; no
content).

Revision ID: 0015
Revises: 0017
Create Date: 2026-12-03 23:11:44
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import adapters.store.types

revision: str = '0015'
down_revision: str | Sequence[str] | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('action_nudge',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('action_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('set_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('member_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('at', adapters.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', adapters.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', adapters.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('message_key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('action_nudge', schema=None) as batch_op:
        batch_op.create_index('ix_action_nudge_member', ['member_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('action_nudge', schema=None) as batch_op:
        batch_op.drop_index('ix_action_nudge_member')
    op.drop_table('action_nudge')
