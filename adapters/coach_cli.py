"""`revans coach classify`: one utterance a line in, one JSON object a line out.

Needs no settings and no database. Blank lines are read as empty utterances (kind
`other`), so output line N always answers input line N.
"""

from __future__ import annotations

import io
import json
from typing import TextIO

from bot.coach import assess


def tolerant(stream: TextIO) -> TextIO:
    """Stdin that turns undecodable bytes into U+FFFD instead of stopping the run."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")
    return stream


def classify_lines(source: TextIO, sink: TextIO, *, language: str = "en") -> int:
    for line in source:
        text = line.rstrip("\r\n")
        verdict = assess(text, language=language)
        record = {
            "text": text,
            "kind": verdict.kind.value,
            "confidence": verdict.confidence,
            "coaches": verdict.coaches,
            "suggestion": verdict.suggestion,
        }
        sink.write(json.dumps(record) + "\n")
        sink.flush()
    return 0
