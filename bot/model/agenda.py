"""The order of presenters at a meeting, from the airtime bids: fair when they exceed
the time.

Whoever presented least recently goes first (someone who never has, before anyone who
has); between equals the larger bid, then whoever bid first. Bids are taken in that
order while they fit the time; the rest are on the agenda "if time allows".

In a set working on one shared challenge there are no bids: the lead rotates
(`next_lead`), to whoever has led least recently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.model.meetings import AirtimeBid

MEETING_MINUTES = 90
"""Time for rounds in a meeting (check-in and process review come on top)."""
UNSIZED_BID_MINUTES = 20
"""What a bid without minutes counts as."""
NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class AgendaItem:
    user_id: str
    minutes: int
    fits: bool
    """False: on the agenda if time allows."""


def fair_agenda(
    bids: Iterable[AirtimeBid],
    last_presented: Mapping[str, datetime],
    *,
    minutes: int = MEETING_MINUTES,
) -> list[AgendaItem]:
    def order(bid: AirtimeBid) -> tuple[bool, datetime, int, datetime]:
        last = last_presented.get(bid.user_id)
        return (last is not None, last or NEVER, -_size(bid), bid.bid_at)

    items, used = [], 0
    for bid in sorted(bids, key=order):
        used += _size(bid)
        items.append(AgendaItem(bid.user_id, _size(bid), used <= minutes))
    return items


def _size(bid: AirtimeBid) -> int:
    return bid.minutes or UNSIZED_BID_MINUTES


def next_lead(members: Iterable[str], last_presented: Mapping[str, datetime]) -> str | None:
    """Who leads the next round on a shared challenge: a member who has never led,
    in roster order, else whoever led least recently."""
    order = list(members)

    def key(user_id: str) -> tuple[bool, datetime, int]:
        last = last_presented.get(user_id)
        return (last is not None, last or NEVER, order.index(user_id))

    return min(order, key=key, default=None)
