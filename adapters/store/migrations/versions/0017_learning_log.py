"""learning log

Each person's private learning log: their notes and weekly check-in answers (set
content: the text, for its author alone); and the Teams adapter's files awaiting their
reader's consent (a `log export` sent as a file consent card).

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-03 23:09:01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import adapters.store.types

revision: str = '0017'
down_revision: str | Sequence[str] | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('learning_log_entry',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('author_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('set_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('written_at', adapters.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['set_id'], ['learning_set.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('learning_log_entry', schema=None) as batch_op:
        batch_op.create_index('ix_learning_log_entry_author', ['author_id', 'written_at'], unique=False)

    op.create_table('teams_pending_file',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', adapters.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('teams_pending_file', schema=None) as batch_op:
        batch_op.create_index('ix_teams_pending_file_user', ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('teams_pending_file', schema=None) as batch_op:
        batch_op.drop_index('ix_teams_pending_file_user')

    op.drop_table('teams_pending_file')
    with op.batch_alter_table('learning_log_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_learning_log_entry_author')

    op.drop_table('learning_log_entry')
