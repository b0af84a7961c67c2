"""Nudges about actions, planned and sent, on every store."""

from __future__ import annotations

from datetime import timedelta

from bot.model import ActionNudge
from bot.ports import UnitOfWorkFactory
from tests.contract.test_actions import an_action, two_sets
from tests.records import T0


def a_nudge(n: int, **overrides: object) -> ActionNudge:
    values: dict[str, object] = {
        "id": f"n{n}",
        "action_id": "s1-a1",
        "set_id": "s1",
        "member_id": "u2",
        "kind": "midpoint",
        "at": T0 + timedelta(days=n),
        "due_at": T0 + timedelta(days=7),
    }
    values.update(overrides)
    return ActionNudge(**values)  # type: ignore[arg-type]


async def test_nudges_are_kept_by_member_in_time_order_and_replaced_by_id(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await two_sets(uow)
        await uow.actions.add(an_action())
        await uow.actions.add(an_action(2, owner_id="u3"))
        await uow.nudges.save(a_nudge(3, kind="overdue"))
        await uow.nudges.save(a_nudge(1))
        await uow.nudges.save(a_nudge(2, action_id="s1-a2", member_id="u3"))
        await uow.commit()
    async with uow_factory() as uow:
        mine = await uow.nudges.of_member("u2")
        assert [n.id for n in mine] == ["n1", "n3"]
        assert mine[0] == a_nudge(1) and mine[0].at.utcoffset() == timedelta(0)
        assert not mine[0].sent
        mine[0].sent_at, mine[0].message_key = T0 + timedelta(days=1), "action.nudge:u2:day"
        await uow.nudges.save(mine[0])
        await uow.nudges.delete(["n3", "nobody"])
        await uow.commit()
    async with uow_factory() as uow:
        (sent,) = await uow.nudges.of_member("u2")
        assert sent.sent and sent.message_key == "action.nudge:u2:day"
        assert [n.id for n in await uow.nudges.of_member("u3")] == ["n2"]
        await uow.nudges.delete([])
        await uow.nudges.save(a_nudge(4))
        # rolled back: not committed


async def test_nothing_is_saved_without_commit(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await two_sets(uow)
        await uow.actions.add(an_action())
        await uow.commit()
    async with uow_factory() as uow:
        await uow.nudges.save(a_nudge(1))
    async with uow_factory() as uow:
        assert await uow.nudges.of_member("u2") == []
