"""shared challenge rounds: a round on the set's one challenge, whose presenter leads

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 09:28:40
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('learning_round', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('shared', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('learning_round', schema=None) as batch_op:
        batch_op.drop_column('shared')
