"""Members' data rights: a portable export of their own records, or erasure.

`mydata export` sends the member, privately, a JSON file of everything stored about them
(`bot.ports.PersonalData`: the store finds it by walking its own schema, so a new table
is covered without a list to keep), by table: their identity and settings, memberships,
challenges and goals, actions and their notes, nudges, report-backs, learning log and
check-ins, sponsor links, bids, invitations, their words in rounds, pending due work and
the platform's conversation references. The file goes only to them, through the
platform's file path, never to a place.

`mydata erase` says what erasure deletes and asks for `mydata erase confirm`, which
erases (`PersonalData.erase`, DESIGN.md "Erasure") and says what stays on the platform.
"""

from __future__ import annotations

import json

from bot import commands as c
from bot.messages import Attachment, Message, Outcome, Outgoing, Private
from bot.parsing.personal import parse_mydata
from bot.permissions import PERSONAL
from bot.usecases.replies import private
from bot.verbs import Route, Turn, Usage, Verb

FORMAT = "revans-mydata/1"


ERASE_WARNING = (
    "`mydata erase` deletes everything Revans stores about you, in every set: your "
    "profile and settings, memberships, challenges and goals, actions and their notes, "
    "nudges, report-backs, learning log and check-ins, sponsor links, bids and "
    "invitations, pending reminders and the chat references Revans keeps for you. Your "
    "questions and answers in other members' rounds stay as “[removed]”, so their "
    "records still read. It cannot be undone; `mydata export` first if you want a copy. "
    "To go ahead, send `mydata erase confirm`."
)
AFTER_ERASURE = (
    "Done: Revans has erased what it stored about you ({rows} records). What you wrote in "
    "Slack or Teams itself stays there, under that platform's own rules and your "
    "organisation's; ask its administrators to remove it. If you write to Revans again, "
    "it will know you afresh."
)


async def my_data(cmd: c.MyData, turn: Turn) -> Outcome:
    if cmd.action == "erase":
        return private(turn.ctx, Message.text(ERASE_WARNING))
    if cmd.action == "erase confirm":
        changed = await turn.uow.personal_data.erase(turn.ctx.actor.user_id)
        done = AFTER_ERASURE.format(rows=sum(changed.values()))
        return private(turn.ctx, Message.text(done))
    user_id = turn.ctx.actor.user_id
    tables = await turn.uow.personal_data.export(user_id)
    document = {
        "format": FORMAT,
        "user_id": user_id,
        "exported_at": turn.now.isoformat(),
        "tables": tables,
    }
    content = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True).encode()
    rows = sum(len(found) for found in tables.values())
    said = Message.text(
        f"Here is everything Revans stores about you: {rows} records in {len(tables)} "
        "kinds, as a JSON file. Only you have been sent it. What you wrote in Slack or "
        "Teams itself stays there, under that platform's own rules."
    )
    filename = f"revans-mydata-{turn.now:%Y-%m-%d}.json"
    attached = Message(said.blocks, attachment=Attachment(filename, content))
    return Outcome((Outgoing(Private(user_id, turn.ctx.place.id), attached),))


VERBS = (
    Verb(
        "mydata",
        parse_mydata,
        Usage("mydata export | erase [confirm]", "your data, portable; or gone", "mydata export"),
        (Route(c.MyData, PERSONAL, my_data),),
    ),
)
