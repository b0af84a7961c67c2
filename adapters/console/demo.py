"""`revans demo`: a scripted set cycle through the same session as `revans console`.

The script grows as the product does; every line goes through the real parser
and use cases on the configured database.
"""

from __future__ import annotations

import uuid
from typing import TextIO

from adapters.console.session import ConsoleSession
from adapters.console.time import ConsoleTime
from bot.dispatch import Core

SCRIPT = """
# A facilitator in London makes the channel a set and writes its agreement.
as farah Europe/London
create Ward leaders 2026
agreement What is said here stays here. Questions before advice. We come to every meeting we can.
# Five members in three time zones join; each reads the agreement and agrees.
as amara Africa/Lagos
join
agree
as ben Europe/London
join
agree
as chen Asia/Singapore
join
agree
as dana Europe/London
join
agree
as emil Asia/Singapore
join
agree
members
# Someone mistypes; the answer is private and changes nothing.
membres
# Emil leaves and the roster shrinks.
leave
as farah
members
# Each member brings a challenge and a development goal (kept privately, with revisions).
as amara
challenge Getting two wards to share one rota
goal Handle conflict without withdrawing
as ben
challenge Winning budget for a discharge coordinator
goal Ask before I advise
as chen
challenge Retaining newly qualified nurses
goal Say no without guilt
as dana
challenge Moving handovers off paper
goal Listen longer
# Amara's challenge evolves; the first version is kept. No text opens a form.
as amara
challenge Getting two wards, and their managers, to share one rota
goal
# A fortnightly schedule at 14:00 London time (it stays 14:00 there when the clocks change).
as farah
schedule every 2 weeks on Tuesday at 14:00 Europe/London for 6 meetings
schedule every fortnight on Tuesday
# Chen reads the schedule in Singapore time.
as chen
schedule
# Members bid for airtime at the next meeting.
as amara
bid 20m the rota stalemate
as dana
bid 15m
as ben
bid 10
bid 10m
as farah
schedule
# The day of the first meeting. An hour before, Revans reminds the set; at its start the
# meeting opens by itself: check-in, report-back, and the agenda from the bids (no one has
# presented yet, so the larger bid goes first). `meeting start` would open it sooner.
wait for the next meeting
# The first round is live, on a video call: 40 minutes, kept by the bot. Amara is first.
round start live 40m
as amara
reply Two wards share one pool of nurses, and each manager thinks the other should move first.
wait 5m
# The questions phase: open questions in the round's thread. Silence is allowed.
as ben
reply What would a shared rota give each ward that it does not have now?
as chen
reply Who else, beyond the two managers, has a stake in how this turns out?
as amara
reply The night staff. I have not asked them at all, now that I say it.
as dana
reply What happens in you when the managers disagree in front of you?
wait 11m
as amara
reply I go quiet, and then I carry it home.
# The questions have run their course: Farah moves the round on early.
as farah
round next
round status
as amara
reply I have waited for the managers to agree before talking to the night staff. I can start there.
wait 5m
reply This week I will sit in on one night handover on each ward, and ask what the rota costs them.
# In the commit phase Amara commits to an action: numbered in the set, due when she says.
commit sit in on a night handover on each ward by 18 Dec
wait 5m
# Resonance: what listeners noticed, and what listening stirred in them.
as chen
reply I noticed how often you said "they should". Listening, I felt stuck, and angry for you.
as ben
reply I felt the weight you carry home. It reminded me that my own silences cost me too.
wait 10m
# The second round is async, across London, Lagos and Singapore: Dana presents over
# three days, and each phase is a window that moves on by itself. Quiet members are
# invited once, privately, in their own working hours.
as farah
round start @dana async 3d
as dana
reply Handovers are still on paper. I want them digital by spring, keeping what paper does well.
wait 8h
as amara
reply Whose handover would you watch first, if you could watch only one?
wait 1d
wait 3h
as chen
reply What does paper do well that you would want to keep?
as dana
reply Paper lets the night nurse draw an arrow. I had not noticed how much that matters.
wait 1h
reply What I see now: the arrows are the handover. The form is only the envelope.
wait 15h
reply Before our next meeting I will ask three night nurses to show me their arrows.
# With no date, an action is due at the set's next meeting.
commit ask three night nurses to show me their arrows
wait 8h
as ben
reply I noticed relief when you said the form is only the envelope. Something loosened for me too.
wait 15h
# Time is up for today: Farah closes the meeting with a process review.
as farah
meeting end
# Two days later Ben looks at everyone's actions, and Amara marks hers done.
wait 2d
as ben
actions all
as amara
done 1 both wards' night staff want a say in the rota
actions
# Between meetings members act, and Revans nudges them kindly, each in their own working
# hours: Ben works nights in London, Chen days in Singapore, Amara days in Lagos.
as ben
settings hours 22:00-06:00
commit ask the finance lead what a coordinator would have to save by 17 Dec
as chen
commit talk to the newly qualified nurses about their first month by 17 Dec
as amara
sponsor @director
commit draft a shared rota with the night staff by 17 Dec
log I keep waiting for permission. Nobody is going to give it.
# A week of simulated time: each nudge is a direct message with buttons.
wait 6d
# Chen is snowed under and snoozes hers a week (the nudge moves; the due date does not);
# Ben has done his and says so with a button.
as chen
press Snooze a week
as ben
press Done
wait 2d
# Amara adds a progress note from her nudge (a form), and shares her action with her sponsor.
as amara
press Add a progress note
fill Night staff drew their own version on the back of the rota.
share 5 the night staff are in
# The next meeting opens by itself; each member reports back privately on their actions.
wait for the next meeting
as dana
press Partly
fill I asked two of the three | the arrows carry the risk, not the words
as chen
press Not done
fill Two sickness absences on the ward | -
press Priorities changed
fill Staffing came first, and I let it
as amara
press Done
fill We drew it together | The rota was never the problem; the asking was
# The facilitator sees only counts across the set, any under three left out.
as farah
report
meeting end
# Members keep private learning logs, and take them away as a file for a portfolio.
as amara
log Asking the night staff first changed what the managers argued about.
log export
# Her data is hers: everything Revans stores about her, as a file only she receives.
mydata export
"""


def demo_room() -> str:
    return f"demo-{uuid.uuid4().hex[:8]}"


async def run_demo(
    core: Core, out: TextIO, *, room: str | None = None, time: ConsoleTime | None = None
) -> str:
    """Play the script; returns the room (place) it used so callers can inspect it.

    Without `time`, `wait` lines are skipped (the round stays where commands put it)."""
    room = room or demo_room()
    session = ConsoleSession(core, out, room=room, time=time)
    out.write(f"Revans demo in #{room} — every line below runs through the real core.\n\n")
    commenting = False
    for line in SCRIPT.strip().splitlines():
        if line.startswith("#"):
            out.write(f"{'' if commenting else chr(10)}{line}\n")
        else:
            await session.handle_line(line, echo=True)
        commenting = line.startswith("#")
    return room
