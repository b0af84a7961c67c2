"""A fishbowl: an inner set works while an outer ring observes and contributes only at
the resonance stage.

The inner set is named by `options fishbowl @a @b …` and fixed on a round when it
starts (`Round.inner`). The outer ring — members of the set in neither the inner set
nor the presenter's chair — write to the bot privately during the round; each such
`FishbowlNote` is held (set content: stored, never logged) and shown, without its
author's name, in the set's place when the round reaches resonance. `shown_at` marks
when; a note is shown once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class FishbowlNote:
    id: str
    round_id: str
    set_id: str
    author_id: str
    """Kept so the author can see and own what they wrote; never shown with the note."""
    text: str
    written_at: datetime
    shown_at: datetime | None = None
