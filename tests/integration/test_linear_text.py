"""Every translator and parser handles 100 KB of adversarial text in linear time.

Inbound text is anyone's to write, and a super-linear pattern on it freezes the event
loop (56 KB of repeated `<at>` once took 4.4 s in the Teams text cleaning). Each
translator and parser gets each adversarial input in a separate process whose CPU
time is capped per call (`RLIMIT_CPU`, a few seconds — thousands of times what a
linear pass over 100 KB needs, and far less than a quadratic one, so a loaded
machine cannot make it flaky: the cap counts CPU, not wall time). A call that blows
the cap kills the process, and the test names the call and the input.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import re
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from adapters.console.session import neutralise_mentions as console_mentions
from adapters.slack import translate as slack
from adapters.slack.admission import shape_problem, signature_problem
from adapters.teams import translate as teams
from adapters.teams.admission import activity_from
from bot import grammar
from bot.catalogue import VERBS
from bot.coach import assess
from bot.errors import UserError
from bot.grammar import MAX_INPUT, tokenize
from bot.messages import MENTION_TOKEN
from bot.parsing import dates, words

SIZE = 100_000
CPU_SECONDS_PER_CALL = 3
"""Linear work on 100 KB takes milliseconds; the old quadratic Teams cleaning took ~15 s."""

UNITS = {
    "at tags": "<at>",
    "at tags with text": "<at>x",
    "at tags with attributes": "<AT id='",
    "closing at tags": "</at>",
    "at tags closed late": "<at>a</at",
    "open brackets": "<",
    "open tags": "<a",
    "empty tags": "<>",
    "slack mention starts": "<@",
    "slack user starts": "<@U",
    "slack labelled users": "<@UA|",
    "typed escapes": "&lt;@",
    "neutral tokens unclosed": "<@x",
    "quotes": '"',
    "curly quotes": "“",
    "apostrophes": "'",
    "spaces": " ",
    "digits": "1",
    "clock-ish": "1:",
    "signed numbers": "-1",
    "at names": "@a",
    "thread suffixes": ";messageid=1",
    "sentences": ". ",
    "questions": "? ",
    "newlines": "\n",
    "words": "a ",
    "clauses": "so, x ",
    "commas": ",",
    "dashes": " - ",
    "ellipses": "...",
    "advice": "you should ",
    "things": "maybe a ",
    "what ifs": "what if the ",
    "nul": "\x00",
    "bidi overrides": "\u202e",
    "letters": "x",
}


def adversarial(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


INPUTS = {name: adversarial(unit) for name, unit in UNITS.items()}
INPUTS["at tags closed once at the end"] = adversarial("<at>") + "</at>"
INPUTS["a mention then open tags"] = "<at>Revans</at> " + adversarial("<a")


def teams_activity(text: str, **changes: Any) -> dict[str, Any]:
    activity = {
        "type": "message",
        "id": "1",
        "text": text,
        "recipient": {"id": "28:bot", "name": "Revans"},
        "from": {"id": "29:a", "aadObjectId": "a", "name": "Ann"},
        "conversation": {"id": "19:c@thread.tacv2", "conversationType": "channel"},
        "entities": [
            {"type": "mention", "text": "<at>Revans</at>", "mentioned": {"id": "28:bot"}},
            {"type": "mention", "text": "<at>Bo</at>", "mentioned": {"id": "29:bo"}},
        ],
    }
    return {**activity, **changes}


def slack_event(text: str) -> dict[str, Any]:
    event = {"type": "message", "user": "U1", "text": text, "ts": "1.2", "channel": "C1"}
    return {"team_id": "T1", "type": "event_callback", "event": event}


def parsed(parser: Callable[[list[str]], object]) -> Callable[[str], object]:
    def run(text: str) -> object:
        try:
            return parser(text.split())
        except UserError:
            return None

    return run


def refusing(call: Callable[[str], object]) -> Callable[[str], object]:
    def run(text: str) -> object:
        try:
            return call(text)
        except UserError:
            return None

    return run


EXAMPLE = "x"
CALLS: dict[str, Callable[[str], object]] = {
    "teams.neutralise_text": lambda s: teams.neutralise_text(teams_activity(s)),
    "teams.translate_message": lambda s: teams.translate_message(teams_activity(s), VERBS.names),
    "teams.translate_message (1:1)": lambda s: teams.translate_message(
        teams_activity(s, conversation={"id": "a:1", "conversationType": "personal"}),
        VERBS.names,
    ),
    "teams.translate_edit": lambda s: teams.translate_edit(teams_activity(s, type="messageUpdate")),
    "teams.translate_form_submit": lambda s: teams.translate_form_submit(
        teams_activity(
            "",
            value={"revans_form": s, "text": s},
            conversation={"id": "a:1", "conversationType": "personal"},
        )
    ),
    "teams.place and thread of a conversation id": lambda s: (
        teams.place_id_of(s),
        teams.thread_id_of(s),
    ),
    "teams.actor_of": lambda s: teams.actor_of(
        teams_activity("", localTimezone=s, **{"from": {"id": s, "name": s}})
    ),
    "teams.inbox_key": lambda s: teams.inbox_key(teams_activity("", id=s)),
    "teams.unresolved_mentions": lambda s: teams.unresolved_mentions(
        teams_activity(s, entities=[{"type": "mention", "text": s, "mentioned": {"id": s}}])
    ),
    "teams.activity_from": lambda s: activity_from(json.dumps(teams_activity(s)).encode()),
    "slack.neutralise_mentions": lambda s: slack.neutralise_mentions(s, "T1"),
    "slack.command_text": lambda s: slack.command_text({"team_id": "T1", "text": s}),
    "slack.command_context": lambda s: slack.command_context(
        {"team_id": "T1", "user_id": "U1", "channel_id": "C1", "channel_name": s}, "/set "
    ),
    "slack.message_event": lambda s: slack.message_event(slack_event(s)),
    "slack.message_key": lambda s: slack.message_key(slack_event(s)),
    "slack.form_values": lambda s: slack.form_values(
        {"state": {"values": {"b": {"text": {"type": "plain_text_input", "value": s}}}}}
    ),
    "slack.shape_problem": lambda s: shape_problem(slack_event(s)),
    "slack.signature_problem": lambda s: signature_problem(
        s.encode(), {"X-Slack-Request-Timestamp": s, "X-Slack-Signature": s}, "secret", now=0.0
    ),
    "console.neutralise_mentions": console_mentions,
    "grammar.parse": refusing(lambda s: grammar.parse(VERBS, s)),
    "grammar.parse (longest command)": refusing(lambda s: grammar.parse(VERBS, s[:MAX_INPUT])),
    "grammar.tokenize": refusing(tokenize),
    "dates.check_date": refusing(lambda s: dates.check_date(s.split(), example=EXAMPLE)),
    "words.mention": words.mention,
    "words.require_mention": refusing(lambda s: words.require_mention(s, example=EXAMPLE)),
    "words.duration": refusing(lambda s: words.duration(s, example=EXAMPLE)),
    "words.looks_like_duration": words.looks_like_duration,
    "words.clock": refusing(lambda s: words.clock(s, example=EXAMPLE)),
    "words.zone": refusing(lambda s: words.zone(s, example=EXAMPLE)),
    "words.weekday_range": refusing(lambda s: words.weekday_range(s, example=EXAMPLE)),
    "words.whole_number": refusing(
        lambda s: words.whole_number(s, "n", low=1, high=9, example=EXAMPLE)
    ),
    "words.language": refusing(lambda s: words.language(s, example=EXAMPLE)),
    "coach.assess": assess,
    "messages.MENTION_TOKEN": lambda s: MENTION_TOKEN.sub(" ", s),
    **{f"grammar verb {verb.name}": parsed(verb.parse) for verb in VERBS},
}
CASES = [(call, name) for call in CALLS for name in INPUTS]


def run_cases(report: Connection) -> None:
    """In the child: every case under its own CPU cap; what started, what finished."""
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    for index, (call, name) in enumerate(CASES):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cap = math.ceil(usage.ru_utime + usage.ru_stime) + CPU_SECONDS_PER_CALL
        resource.setrlimit(resource.RLIMIT_CPU, (cap, hard))
        report.send(("start", index))
        try:
            CALLS[call](INPUTS[name])
        except Exception as exc:
            report.send(("raised", index, type(exc).__name__))
        report.send(("done", index))
    report.close()


def test_every_translator_and_parser_finishes_adversarial_input_in_linear_time() -> None:
    context = multiprocessing.get_context("spawn")  # no fork of the test runner's threads
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=run_cases, args=(sending,))
    child.start()
    sending.close()
    started, finished, raised = None, 0, []
    while True:
        try:
            message = receiving.recv()
        except EOFError:
            break
        if message[0] == "start":
            started = message[1]
        elif message[0] == "raised":
            raised.append(f"{CASES[message[1]]}: {message[2]}")
        else:
            finished += 1
    child.join()
    if finished < len(CASES):
        call, name = CASES[started if started is not None else 0]
        raise AssertionError(
            f"{call} on 100 KB of {name} did not finish within {CPU_SECONDS_PER_CALL} s of "
            f"CPU (exit code {child.exitcode}): a super-linear algorithm?"
        )
    assert not raised, "\n".join(raised)
    assert child.exitcode == 0


# The scanners replacing the two backtracking patterns find exactly what the patterns found.

OLD_AT_TAG = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
OLD_OTHER_TAG = re.compile(r"<[^>]+>")
TAGGY = st.text(alphabet="<>/atAT x\n", max_size=40)


@given(TAGGY)
def test_at_tags_are_the_old_patterns_matches(raw: str) -> None:
    found = [(t.start, t.end, t.inner) for t in teams.at_tags(raw)]
    assert found == [(m.start(), m.end(), m.group(1)) for m in OLD_AT_TAG.finditer(raw)]


@given(TAGGY)
def test_strip_tags_leaves_what_the_old_pattern_left(raw: str) -> None:
    assert teams.strip_tags(raw) == OLD_OTHER_TAG.sub("", raw)
