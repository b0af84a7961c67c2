"""`mydata export` on SQLite and PostgreSQL: a member's records from every table that
names them, found by walking the schema, sent to them alone as a JSON file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlmodel import SQLModel

from adapters.store.personal_data import NOT_ABOUT_ANYONE, person_columns
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core, handle_command
from bot.messages import Private
from bot.model import Actor, Place, PlaceKind
from tests.confidential import PLANTED
from tests.fakes import FakeClock

NOT_A_PERSON = {
    "lease_owner",  # the process holding a due-work lease
    "bot_user",  # Revans's own user id in a Slack workspace (slack_installation)
}
ROOM = Place("test:room", PlaceKind.CHANNEL, "test")
DM = Place("test:dm", PlaceKind.PERSONAL, "test")


def walked(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for v in value.values():
            yield from walked(v)
    elif isinstance(value, list):
        for v in value:
            yield from walked(v)
    elif isinstance(value, str):
        yield value


def test_every_table_holding_person_ids_is_walked_by_its_columns() -> None:
    """A column that looks like a person's id but escapes the walk fails here: name it by
    the convention (user_id, *_user_id, owner_id, author_id, member_id)."""
    suspicious = {"user", "owner", "author", "member", "by", "presenter", "sponsor"}
    for table in SQLModel.metadata.sorted_tables:
        if table.name in NOT_ABOUT_ANYONE:
            continue
        walked_names = {c.name for c in person_columns(table)}
        for column in table.columns:
            parts = set(column.name.split("_"))
            if parts & suspicious and column.name not in walked_names:
                assert column.name in NOT_A_PERSON, f"{table.name}.{column.name} is not walked"


async def test_export_holds_the_members_records_and_nobody_elses(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    core = Core(uow=uow_factory, clock=clock)

    async def say(name: str, text: str, place: Place = ROOM) -> None:
        await handle_command(core, _ctx(name, place), text)

    await say("fay", "create Ward leaders")
    for name in ("ann", "ben"):
        await say(name, "join")
        await say(name, "agree")
    await say("ann", f"challenge Getting two wards to share a rota {PLANTED}")
    await say("ann", f"commit call the rota team {PLANTED}")
    await say("ann", "progress 1 met the lead nurse")
    await say("ann", "settings hours 08:00-16:00")
    await say("ann", "log asking first changed everything", DM)
    await say("ben", "commit ben's own secret")
    outcome = await handle_command(core, _ctx("ann", DM), "mydata export")
    (sent,) = outcome.messages
    assert isinstance(sent.to, Private) and sent.to.user_id == "test:ann"
    attachment = sent.message.attachment
    assert attachment is not None and attachment.filename.endswith(".json")
    document = json.loads(attachment.content)
    tables = document["tables"]
    assert document["user_id"] == "test:ann"
    for expected in (
        "person",
        "person_settings",
        "membership",
        "statement",
        "action",
        "action_note",
        "learning_log_entry",
    ):
        assert expected in tables, expected
    texts = list(walked(tables))
    assert f"call the rota team {PLANTED}" in texts and "met the lead nurse" in texts
    assert "asking first changed everything" in texts
    assert "ben's own secret" not in texts and "test:ben" not in texts


def _ctx(name: str, place: Place) -> object:
    from bot.context import Context

    return Context(place, Actor(f"test:{name}", name))
