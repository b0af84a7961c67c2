"""A round: one presenter's turn, through its phases, as a pure state machine.

    present → questions → reflect → commit → resonance → closed

Every change is a method that takes the current instant and either changes the
round or raises a `UserError` (and changes nothing). The clock of a phase is its
`deadline`; pausing keeps the time left instead (`paused_left`) and resuming gives
it back, so a pause stops the clock. `next` moves on early (and resumes a paused
round), `extend` adds time to the phase now running, `end` closes the round.

`step` counts the changes to a round's timing (a phase change, pause, resume,
extend). The due work that ends a phase or warns of its end is keyed by the step
it was scheduled at, so once the round has changed, work scheduled before is
recognised as stale and does nothing (`timer_key`). `advanced_by` records the key
of the due work that made the last phase change, so that work, run again (delivery
is at least once), re-sends its announcement instead of moving the round twice.

`shared` marks a round on the set's one shared challenge (`options format shared`):
its presenter *leads*, presenting the challenge's current state. It is fixed when the
round starts, so changing the set's format mid-round does not change the round.
`inner` is the fishbowl's inner set (`bot.model.fishbowl`), likewise fixed at the start.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.errors import Conflict


class Phase(StrEnum):
    PRESENT = "present"
    QUESTIONS = "questions"
    REFLECT = "reflect"
    COMMIT = "commit"
    RESONANCE = "resonance"
    CLOSED = "closed"


PHASES = (Phase.PRESENT, Phase.QUESTIONS, Phase.REFLECT, Phase.COMMIT, Phase.RESONANCE)
"""The phases that run, in order (closed is where a round ends up)."""


class Mode(StrEnum):
    LIVE = "live"
    """A call: phases of minutes, the bot keeps time to the second."""
    ASYNC = "async"
    """Text only, across time zones: each phase is a window of hours or days."""


Lengths = tuple[timedelta, timedelta, timedelta, timedelta, timedelta]

DEFAULT_LIVE_MINUTES = (5, 15, 5, 5, 10)
"""The live template when the set has none (`options live P/Q/R/C/S`): 40 minutes."""
DEFAULT_ASYNC_LENGTH = timedelta(days=3)
ASYNC_SHARES = (1, 4, 2, 1, 2)
"""How an async round's length is shared between its phases (questions get most)."""


def live_lengths(template: tuple[int, ...] | None, total: timedelta | None) -> Lengths:
    """Phase lengths for a live round: the template's minutes, scaled to `total` if given
    (each phase at least a minute, rounded to whole seconds)."""
    minutes = template or DEFAULT_LIVE_MINUTES
    if total is None:
        return _lengths(timedelta(minutes=m) for m in minutes)
    return _shared(total, minutes, floor=timedelta(minutes=1))


def async_lengths(total: timedelta | None) -> Lengths:
    return _shared(total or DEFAULT_ASYNC_LENGTH, ASYNC_SHARES, floor=timedelta(minutes=10))


def _shared(total: timedelta, shares: tuple[int, ...], *, floor: timedelta) -> Lengths:
    whole = sum(shares)
    seconds = total.total_seconds()
    return _lengths(max(floor, timedelta(seconds=round(seconds * s / whole))) for s in shares)


def _lengths(values: Iterable[timedelta]) -> Lengths:
    present, questions, reflect, commit, resonance = values
    return (present, questions, reflect, commit, resonance)


@dataclass
class Round:
    id: str
    set_id: str
    meeting_id: str
    presenter_id: str
    mode: Mode
    lengths: Lengths
    started_at: datetime
    started_by: str
    phase: Phase = Phase.PRESENT
    phase_started_at: datetime | None = None
    deadline: datetime | None = None
    """When the running phase ends; None while paused, and once closed."""
    paused_left: timedelta | None = None
    """Time left in the phase when it was paused; None while the clock runs."""
    step: int = 0
    advanced_by: str | None = None
    closed_at: datetime | None = None
    shared: bool = False
    """On the set's shared challenge: the presenter leads (see the module docstring)."""
    inner: tuple[str, ...] = ()
    """A fishbowl's inner set (user ids); empty when the round is not a fishbowl."""

    @classmethod
    def start(
        cls,
        id: str,
        *,
        set_id: str,
        meeting_id: str,
        presenter_id: str,
        mode: Mode,
        lengths: Lengths,
        now: datetime,
        by: str,
        shared: bool = False,
        inner: tuple[str, ...] = (),
    ) -> Round:
        started = cls(
            id, set_id, meeting_id, presenter_id, mode, lengths, now, by, shared=shared, inner=inner
        )
        started._enter(Phase.PRESENT, now)
        return started

    # --- what it is ------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.phase is not Phase.CLOSED

    @property
    def is_paused(self) -> bool:
        return self.paused_left is not None

    @property
    def is_fishbowl(self) -> bool:
        return bool(self.inner)

    def in_outer_ring(self, user_id: str) -> bool:
        """In a fishbowl, neither in the inner set nor presenting (membership aside)."""
        return self.is_fishbowl and user_id not in self.inner and user_id != self.presenter_id

    @property
    def number(self) -> int:
        """The running phase's number, 1 to 5 (6 once closed)."""
        return PHASES.index(self.phase) + 1 if self.is_open else len(PHASES) + 1

    def left(self, now: datetime) -> timedelta:
        """Time left in the running phase (never negative)."""
        if self.paused_left is not None:
            return self.paused_left
        if self.deadline is None:
            return timedelta(0)
        return max(self.deadline - now, timedelta(0))

    def timer_key(self, kind: str, *parts: str) -> str:
        """A due-work key for this round's timing as it stands (its step)."""
        return ":".join((kind, self.id, str(self.step), *parts))

    # --- changes -----------------------------------------------------------------------

    def next(self, now: datetime, *, by_work: str | None = None) -> Phase:
        """Move to the next phase (from resonance: close); returns the new phase."""
        self._require_open()
        index = PHASES.index(self.phase)
        if index + 1 == len(PHASES):
            self.close(now)
        else:
            self._enter(PHASES[index + 1], now)
        self.advanced_by = by_work
        return self.phase

    def pause(self, now: datetime) -> None:
        self._require_open()
        if self.is_paused:
            raise Conflict("The round is already paused.", example="round resume")
        self.paused_left, self.deadline = self.left(now), None
        self._changed()

    def resume(self, now: datetime) -> None:
        self._require_open()
        if self.paused_left is None:
            raise Conflict("The round is not paused.", example="round pause")
        self.deadline, self.paused_left = now + self.paused_left, None
        self._changed()

    def extend(self, by: timedelta, now: datetime) -> None:
        self._require_open()
        if self.paused_left is not None:
            self.paused_left += by
        elif self.deadline is not None:
            self.deadline = max(self.deadline, now) + by
        self._changed()

    def close(self, now: datetime) -> None:
        self._require_open()
        self.phase, self.closed_at = Phase.CLOSED, now
        self.deadline = self.paused_left = None
        self._changed()

    def _enter(self, phase: Phase, now: datetime) -> None:
        self.phase, self.phase_started_at = phase, now
        self.deadline = now + self.lengths[PHASES.index(phase)]
        self.paused_left = None
        self._changed()

    def _changed(self) -> None:
        self.step += 1
        self.advanced_by = None

    def _require_open(self) -> None:
        if not self.is_open:
            raise Conflict("That round has ended.", example="round status")
