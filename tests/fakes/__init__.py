"""Fakes of everything outside the core, for tests (no mocks).

In-memory fakes of the core's ports, re-exported here (`from tests.fakes import X`):

- `clock`: `FakeClock`, moved by hand;
- `gateway`: `RecordingGateway`, which records every send;
- `repositories`: the in-memory repositories over one `MemoryData`;
- `store`: `MemoryStore`, the unit-of-work factory the unit tests give the core;
- `due_work_claims`: `MemoryDueWorkClaims`, the scheduler's port (`bot.ports.DueWorkClaims`).

`tests/contract/` runs the same tests against these and the SQL store, so they cannot drift.

Local fake servers, for the integration and end-to-end tiers (imported from their modules,
so the unit tests never load aiohttp):

- `slack_web_api`: the Slack Web API and `response_url`s;
- `bot_connector`: the Teams Bot Connector and Entra token endpoint;
- `openid_issuer`: an OpenID issuer signing Bot Framework-shaped tokens;
- `local_server`: serving one of them on a free loopback port.
"""

from tests.fakes.clock import FakeClock
from tests.fakes.gateway import RecordingGateway, Sent
from tests.fakes.repositories import (
    MemoryBids,
    MemoryContributions,
    MemoryData,
    MemoryDueWork,
    MemoryGuests,
    MemoryHeldMeetings,
    MemoryMeetings,
    MemoryMemberships,
    MemoryMessageRefs,
    MemoryPeople,
    MemoryPersonSettings,
    MemoryRoundMessages,
    MemoryRounds,
    MemorySetOptions,
    MemorySets,
    MemorySponsors,
    MemoryStatements,
)
from tests.fakes.store import MemoryStore, MemoryUnitOfWork

__all__ = [
    "FakeClock",
    "MemoryBids",
    "MemoryContributions",
    "MemoryData",
    "MemoryDueWork",
    "MemoryGuests",
    "MemoryHeldMeetings",
    "MemoryMeetings",
    "MemoryMemberships",
    "MemoryMessageRefs",
    "MemoryPeople",
    "MemoryPersonSettings",
    "MemoryRoundMessages",
    "MemoryRounds",
    "MemorySetOptions",
    "MemorySets",
    "MemorySponsors",
    "MemoryStatements",
    "MemoryStore",
    "MemoryUnitOfWork",
    "RecordingGateway",
    "Sent",
]
