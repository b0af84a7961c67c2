"""meetings and rounds

Meetings as held (linked to the planned meeting they are), their rounds with the
state of the phase clock, counts-only records of the messages written in them, and
the platform refs of messages the core remembers by key (a round's message).
At most one open meeting and one open round per set (partial unique indexes).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:48:11.881401
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import adapters.store.types


revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('message_ref',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('place_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('message_ref', schema=None) as batch_op:
        batch_op.create_index('ix_message_ref_place_ref', ['place_id', 'ref'], unique=False)

    op.create_table('held_meeting',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('set_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('planned_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('opened_at', adapters.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('opened_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('agenda', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('closed_at', adapters.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['planned_id'], ['meeting.id'], ),
    sa.ForeignKeyConstraint(['set_id'], ['learning_set.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('held_meeting', schema=None) as batch_op:
        batch_op.create_index('uq_held_meeting_open', ['set_id'], unique=True, sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))

    op.create_table('learning_round',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('set_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('meeting_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('presenter_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('lengths', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('started_at', adapters.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('phase_started_at', adapters.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deadline', adapters.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paused_left_us', sa.BigInteger(), nullable=True),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('advanced_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('closed_at', adapters.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['held_meeting.id'], ),
    sa.ForeignKeyConstraint(['set_id'], ['learning_set.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('learning_round', schema=None) as batch_op:
        batch_op.create_index('ix_round_meeting', ['meeting_id'], unique=False)
        batch_op.create_index('uq_round_open', ['set_id'], unique=True, sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))

    op.create_table('round_message',
    sa.Column('place_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('round_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('author_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('words', sa.Integer(), nullable=False),
    sa.Column('posted_at', adapters.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['learning_round.id'], ),
    sa.PrimaryKeyConstraint('place_id', 'message_id')
    )
    with op.batch_alter_table('round_message', schema=None) as batch_op:
        batch_op.create_index('ix_round_message_round', ['round_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('round_message', schema=None) as batch_op:
        batch_op.drop_index('ix_round_message_round')

    op.drop_table('round_message')
    with op.batch_alter_table('learning_round', schema=None) as batch_op:
        batch_op.drop_index('uq_round_open', sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))
        batch_op.drop_index('ix_round_meeting')

    op.drop_table('learning_round')
    with op.batch_alter_table('held_meeting', schema=None) as batch_op:
        batch_op.drop_index('uq_held_meeting_open', sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))

    op.drop_table('held_meeting')
    with op.batch_alter_table('message_ref', schema=None) as batch_op:
        batch_op.drop_index('ix_message_ref_place_ref')

    op.drop_table('message_ref')
