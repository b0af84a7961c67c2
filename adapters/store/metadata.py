"""All tables Alembic must know about: import every module that defines tables here."""

from __future__ import annotations

from sqlmodel import SQLModel

import adapters.store.actions
import adapters.store.duework  # registers the due-work table
import adapters.store.fishbowl
import adapters.store.inbox
import adapters.store.learning_log
import adapters.store.message_refs
import adapters.store.nudges
import adapters.store.outbox
import adapters.store.report_backs
import adapters.store.rounds
import adapters.store.slack_installs
import adapters.store.tables  # noqa: F401  (registers the core's tables)
from adapters.teams import tables as teams_tables  # noqa: F401  (Teams conversation references)

metadata = SQLModel.metadata
