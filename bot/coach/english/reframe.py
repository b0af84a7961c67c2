"""Open reframings of closed and leading questions and of advice, reusing the asker's words.

The rule that read the sentence says what the asker was after — a person to involve,
something to try, an easier way, a view of the problem, a fact — and the reframing turns
that into a question the presenter answers from their own thinking. `assess` checks that
the result reads as open and falls back to a general open question when it does not.
"""

from __future__ import annotations

import re

from bot.coach.english import patterns as p
from bot.coach.english import phrases
from bot.coach.english.inflect import as_subject
from bot.coach.kinds import Kind
from bot.coach.reading import Reading

FALLBACK = "What options do you see from here?"

_I = re.IGNORECASE
TRY = re.compile(r"\b(?:tried|try|trying|pilot|trial|experiment)\b", _I)
COMPARATIVE = re.compile(
    r"\b(?:easier|simpler|better|kinder|quicker|cheaper|fairer|safer|clearer)\b", _I
)
STOP = re.compile(
    r"\b(?:say no|said no|saying no|stop|stopped|stopping|quit|quitting|leave|leaving|"
    r"walk away|let (?:it|the project|them) go|drop|cancel|refuse|refused|scrap|step back|"
    r"stepping back|give up)\b",
    _I,
)
PROBLEM = re.compile(r"\b(problem|issue|question|symptom)\b", _I)
WORKED = re.compile(
    r"\b(?:worked|helped|fixed|sorted|transformed|was fine|did the trick|what we did)\b", _I
)
THOUGHT = re.compile(
    r"\b(considered|consider|thought about|thought of|think about|think of|explored|"
    r"looked into)\b(?P<that> that)?",
    _I,
)
_PARTICIPLE = {"consider": "considered", "think about": "thought about", "think of": "thought of"}
HELD_BACK = re.compile(r"^(?:why|how come) (?:haven't|hasn't|didn't)\b", _I)
FEELING = re.compile(
    r"\b(?:like|trust|enjoy|feel|feeling|happy|upset|worried|ok|okay|supported|comfortable|"
    r"confident|angry|get on)\b(?: (?:with |about |on with )?(?P<what>him|her|them|"
    r"(?:the|your|his|her|their|our) [\w' -]+))?",
    _I,
)
QUANTITY = re.compile(r"^how (?:many|much) (?P<what>[a-z]+)", _I)
OPINION_RULES = {"negative", "is_it_not", "do_you_think", "real_problem", "could_it_be", "surely"}


def reframe(reading: Reading) -> str | None:
    body = _without_preamble(reading.sentence)
    if reading.kind is Kind.CLOSED:
        return _closed(body)
    if reading.kind is Kind.ADVICE and WORKED.search(body):
        return "What has worked for you before, and what hasn't?"
    if reading.rule in OPINION_RULES and not _suggests_action(body):
        return _opinion(body)
    return _suggestion(body)


def _without_preamble(sentence: str) -> str:
    """The sentence in its original case, less end punctuation and opening interjections."""
    trimmed = sentence.strip(" .!?\"'")
    kept = len(p.PREAMBLE.sub("", trimmed.lower()))
    return trimmed[len(trimmed) - kept :] if kept else ""


TOLD = re.compile(
    r"^(?:did|have|has) (?:you|u) (?:\w+ )?(?:tell|told|talk|talked|speak|spoken|spoke|ask|"
    r"asked|raise|raised|email|emailed|call|called|mention|mentioned|approach|approached)\b",
    _I,
)
RESPONDED = re.compile(
    r"^(?:did|has|have) (?P<who>hr|they|he|she|(?:the|your|his|her|their) [\w'-]+"
    r"(?: [\w'-]+)?) (?:ever |already |actually )?(?:get back|got back|respond|responded|reply|"
    r"replied|react|reacted|agree|agreed|say|said|approve|approved|answer|answered)\b",
    _I,
)
WORKED_OUT = re.compile(r"^(?:did|has|does) (?:it|that|this) (?:work|help|go)\b", _I)
WHICH = re.compile(r"^which (?P<what>[a-z]+)\b", _I)


def _closed(body: str) -> str:
    who = phrases.person(body) if TOLD.search(body) else None
    if who:
        return f"What happened when you talked to {who}?"
    responded = RESPONDED.search(body)
    if responded:
        return f"How did {as_subject(responded.group('who'))} respond?"
    if WORKED_OUT.search(body):
        return "What happened when you tried it?"
    feeling = FEELING.search(body)
    if feeling:
        return f"How do you feel about {feeling.group('what') or 'this'}?"
    quantity = QUANTITY.search(body) or WHICH.search(body)
    noun = f"the {quantity.group('what')}" if quantity else phrases.first_noun_phrase(body)
    return f"What can you tell us about {noun or 'this'}?"


def _suggests_action(body: str) -> bool:
    """ "Couldn't you ask…", "Don't you need to…", "Do you think you should…"."""
    return bool(
        re.search(
            r"^(?:couldn't|can't|won't|wouldn't|shouldn't) (?:you|u) (?!think|be\b|being\b)|"
            r"^don't (?:you|u) (?:need|want|have)\b|^(?:could|can|would) (?:you|u) not\b|"
            r"\b(?:should|help)\b|\b(?:worth|better|sense|time|easier|simpler|kinder) to\b",
            body,
            _I,
        )
    )


def _opinion(body: str) -> str:
    problem = PROBLEM.search(body)
    if problem:
        return f"What do you see as the real {problem.group(1).lower()} here?"
    comparative = COMPARATIVE.search(body)
    if comparative:
        return f"What would make this {comparative.group().lower()} for you?"
    thing = phrases.thing(body)
    if thing:
        return f"What might {thing} change for you?"
    who = phrases.subject(body)
    if who and who.lower() not in {"you", "u"} and phrases.is_person(who):
        return f"How do you think {who} would see this?"
    if who:
        return f"How do you see {phrases.possessive(who)} part in this?"
    return "What do you think is really going on here?"


def _suggestion(body: str) -> str | None:
    if HELD_BACK.search(body):
        return "What has held you back so far?"
    person = phrases.person(body)
    if person:
        return f"How do you think {as_subject(person)} would see this?"
    doing = phrases.suggested(body) or phrases.action(body) or phrases.thing(body)
    if TRY.search(body):
        if doing and not TRY.match(doing):
            return f"What have you tried so far, and what do you make of {doing}?"
        return "What have you tried so far, and what did you learn from it?"
    thought = THOUGHT.search(body)
    if thought and thought.group("that"):
        return _opinion(body[thought.end() :])
    if thought:
        if doing:
            return f"What do you see as the pros and cons of {doing}?"
        verb = thought.group(1).lower()
        return f"What options have you {_PARTICIPLE.get(verb, verb)} so far?"
    return _alternative(body)


def _alternative(body: str) -> str | None:
    comparative = COMPARATIVE.search(body)
    if comparative:
        return f"What would make this {comparative.group().lower()} for you?"
    doing = phrases.suggested(body) or phrases.action(body) or phrases.thing(body)
    if doing:
        return f"What might {doing} change for you?"
    if STOP.search(body):
        return "What would you like to stop doing, if anything?"
    what_if = re.search(r"^what if (?P<who>(?:the|your) [\w' ]+?) \w+ed\b", body, _I)
    if what_if:
        return f"What options do you see for {what_if.group('who')}?"
    return None
