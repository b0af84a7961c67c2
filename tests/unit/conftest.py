from __future__ import annotations

import pytest

from bot.dispatch import Core
from tests.fakes import FakeClock, MemoryStore, RecordingGateway


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def core(store: MemoryStore, clock: FakeClock) -> Core:
    return Core(uow=store, clock=clock)


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway()
