"""Members' actions: committing, listing, updating, and sharing progress with a sponsor.

Parsed and authorised today; their behaviour is built next (answered "coming soon").
"""

from __future__ import annotations

from bot import commands as c
from bot.parsing.actions import (
    parse_actions,
    parse_commit,
    parse_done,
    parse_drop,
    parse_progress,
    parse_share,
)
from bot.permissions import F, M, change, read
from bot.usecases.coming_soon import coming_soon
from bot.verbs import Route, Usage, Verb

VERBS = (
    Verb(
        "commit",
        parse_commit,
        Usage(
            "commit TEXT [by DATE]",
            "commit to an action",
            "commit talk to the rota team by next Friday",
        ),
        (Route(c.CommitAction, change(F, M), coming_soon),),
    ),
    Verb(
        "actions",
        parse_actions,
        Usage("actions [mine | all | @a]", "list actions", "actions all"),
        (Route(c.ListActions, read(F, M), coming_soon),),
    ),
    Verb(
        "done",
        parse_done,
        Usage("done N [note]", "mark your action N done", "done 2 agreed a pilot"),
        (Route(c.MarkDone, change(F, M), coming_soon),),
    ),
    Verb(
        "progress",
        parse_progress,
        Usage("progress N note", "note progress on action N", "progress 2 met them"),
        (Route(c.NoteProgress, change(F, M), coming_soon),),
    ),
    Verb(
        "drop",
        parse_drop,
        Usage("drop N [reason]", "drop action N", "drop 2 no longer relevant"),
        (Route(c.DropAction, change(F, M), coming_soon),),
    ),
    Verb(
        "share",
        parse_share,
        Usage(
            "share N [note] · share meeting [note]",
            "send your sponsor an action's progress or your meeting summary",
            "share 2",
        ),
        (
            Route(c.ShareAction, change(F, M), coming_soon),
            Route(c.ShareMeeting, change(F, M), coming_soon),
        ),
    ),
)
