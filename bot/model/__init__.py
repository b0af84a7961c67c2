"""The domain model, one module per concept; import names from `bot.model`.

- `sets`: a set, its place, status, options and agreement;
- `people`: the speaker, a remembered person, their preferences;
- `roster`: memberships, sponsors and the rules roster changes keep (`Roster`);
- `meetings`: meetings, guest invitations, airtime bids;
- `statements`: challenges and goals; `contributions`: what members write.
"""

from bot.model.contributions import Contribution
from bot.model.meetings import AirtimeBid, GuestInvitation, Meeting
from bot.model.people import Actor, Person, PersonSettings
from bot.model.roster import Membership, Role, Roster, SponsorLink
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
    "RETENTION",
    "Actor",
    "AirtimeBid",
    "Contribution",
    "GuestInvitation",
    "LearningSet",
    "Meeting",
    "Membership",
    "Person",
    "PersonSettings",
    "Place",
    "PlaceKind",
    "Role",
    "Roster",
    "SetOptions",
    "SetStatus",
    "SponsorLink",
    "Statement",
    "StatementKind",
]
