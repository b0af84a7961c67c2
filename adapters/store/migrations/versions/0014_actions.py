"""actions

Members' committed actions, numbered within their set, and their progress notes (set
content: their text).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:37:37
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import adapters.store.types

revision: str = '0014'
down_revision: str | Sequence[str] | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('action',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('set_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('owner_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', adapters.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', adapters.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('meeting_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('round_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('closed_at', adapters.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closing_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['set_id'], ['learning_set.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('set_id', 'number', name='uq_action_set_number')
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index('ix_action_owner', ['owner_id'], unique=False)
    op.create_table('action_note',
    sa.Column('action_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', adapters.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ),
    sa.PrimaryKeyConstraint('action_id', 'seq')
    )


def downgrade() -> None:
    op.drop_table('action_note')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index('ix_action_owner')
    op.drop_table('action')
