"""The domain model, one module per concept; import names from `bot.model`.

- `actions`: members' committed actions and their progress notes; `nudges`: the
  reminders about them, planned and sent;
- `sets`: a set, its place, status, options and agreement;
- `people`: the speaker, a remembered person, their preferences;
- `roster`: memberships, sponsors and the rules roster changes keep (`Roster`);
- `meetings`: meetings, guest invitations, airtime bids;
- `statements`: challenges and goals; `contributions`: what members write;
- `rounds`: a round's phases as a state machine; `participation`: who took part, in
  counts; `agenda`: the fair order of presenters from airtime bids; `fishbowl`: the
  outer ring's notes, held until resonance; `learning_log`: each person's private log.
"""

from bot.model.actions import Action, ActionNote, ActionStatus
from bot.model.agenda import AgendaItem, fair_agenda, next_lead
from bot.model.contributions import Contribution
from bot.model.fishbowl import FishbowlNote
from bot.model.learning_log import EntryKind, LearningLogEntry
from bot.model.meetings import AirtimeBid, GuestInvitation, HeldMeeting, Meeting
from bot.model.nudges import ActionNudge
from bot.model.participation import MessageRole, Participation, RoundMessage, role_of, tally
from bot.model.people import Actor, Person, PersonSettings
from bot.model.roster import Membership, Role, Roster, SponsorLink
from bot.model.rounds import PHASES, Mode, Phase, Round
from bot.model.sets import (
    DEFAULT_AGREEMENT,
    DEFAULT_TZ,
    RETENTION,
    LearningSet,
    Place,
    PlaceKind,
    SetOptions,
    SetStatus,
)
from bot.model.statements import Statement, StatementKind

__all__ = [
    "DEFAULT_AGREEMENT",
    "DEFAULT_TZ",
    "PHASES",
    "RETENTION",
    "Action",
    "ActionNote",
    "ActionNudge",
    "ActionStatus",
    "Actor",
    "AgendaItem",
    "AirtimeBid",
    "Contribution",
    "EntryKind",
    "FishbowlNote",
    "GuestInvitation",
    "HeldMeeting",
    "LearningLogEntry",
    "LearningSet",
    "Meeting",
    "Membership",
    "MessageRole",
    "Mode",
    "Participation",
    "Person",
    "PersonSettings",
    "Phase",
    "Place",
    "PlaceKind",
    "Role",
    "Roster",
    "Round",
    "RoundMessage",
    "SetOptions",
    "SetStatus",
    "SponsorLink",
    "Statement",
    "StatementKind",
    "fair_agenda",
    "next_lead",
    "role_of",
    "tally",
]
