"""fishbowl notes

The outer ring's notes to a fishbowl round, held until resonance (set content: their
text), and the inner set a round was started with.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:31:25
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import adapters.store.types

revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('fishbowl_note',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('round_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('set_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('author_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('written_at', adapters.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('shown_at', adapters.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['learning_round.id'], ),
    sa.ForeignKeyConstraint(['set_id'], ['learning_set.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fishbowl_note', schema=None) as batch_op:
        batch_op.create_index('ix_fishbowl_note_round', ['round_id'], unique=False)

    with op.batch_alter_table('learning_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inner_set', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('learning_round', schema=None) as batch_op:
        batch_op.drop_column('inner_set')

    with op.batch_alter_table('fishbowl_note', schema=None) as batch_op:
        batch_op.drop_index('ix_fishbowl_note_round')

    op.drop_table('fishbowl_note')
