"""`revans coach classify`: one utterance a line in, one JSON object a line out.

Needs no settings and no database. Blank lines are read as empty utterances (kind
`other`), so output line N always answers input line N.
"""

from __future__ import annotations

import json
from typing import TextIO

from bot.coach import assess


def classify_lines(source: TextIO, sink: TextIO, *, language: str = "en") -> int:
    for line in source:
        text = line.rstrip("\r\n")
        verdict = assess(text, language=language)
        record = {"text": text, "kind": verdict.kind.value, "suggestion": verdict.suggestion}
        sink.write(json.dumps(record) + "\n")
        sink.flush()
    return 0
