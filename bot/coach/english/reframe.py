"""Open reframings of closed and leading questions and of advice, reusing the asker's words.

Each reframing names what the asker was after — a person to involve, something to try, an
easier way, a view of the problem, a fact — and turns it into a question the presenter
answers from their own thinking. `assess` checks that the result reads as open and falls
back to a general open question when it does not.
"""

from __future__ import annotations

import re

from bot.coach.english import patterns as p
from bot.coach.english.inflect import as_subject, gerund
from bot.coach.kinds import Kind
from bot.coach.reading import Reading

FALLBACK = "What options do you see from here?"

_I = re.IGNORECASE
_STOP_WORDS = (
    r"(?:is|are|was|were|be|been|to|for|on|in|at|of|with|about|yet|before|after|if|or|and|"
    r"when|because|by|from|than|who|which|that|so|now|first|again|still|directly|instead|"
    r"today|tomorrow|too|any|ever|over|right|really|just|enough|please|soon|next|this)"
)
NOUN_PHRASE = re.compile(
    rf"\b(?:the|your|his|her|their|our|these|those|a|an|my)\s+(?:(?!{_STOP_WORDS}\b)"
    r"[\w'-]+\s+){0,3}?(?!" + _STOP_WORDS + r"\b)[\w'-]+(?=\s+" + _STOP_WORDS + r"\b|\s*$)",
    _I,
)
PERSON_VERB = re.compile(
    r"\b(?:talk|talking|talked|speak|speaking|spoke|spoken|go|going|went|gone|ask|asking|"
    r"asked|tell|telling|told|raise it with|raising it with|involve|involving|get|getting|"
    r"bring in|bringing in|call|calling|email|emailing|meet|meeting|approach|approaching|"
    r"escalate it to|escalating it to|lean on|leaning on|put it to|putting it to)"
    r"(?: (?:to|with))? (?:just )?(?P<who>(?:the|your|a|an|his|her|their|our) "
    r"(?:[\w'-]+ ){0,2}?(?:[\w'-]*(?:manager|director|lead|nurse|matron|sponsor|board|"
    r"union(?: rep)?|hr|curators?|donors?|trustees?|team|staff|rep|exec|ceo|legal|finance|"
    r"developers?|designers?|volunteers?|patients?|clinicians?|office|head|chief|mentor|"
    r"colleagues?|boss|set|mediator|forum|department))|HR|him|her|them|legal|finance|"
    r"Sam|HR)\b",
    _I,
)
TRY = re.compile(r"\b(?:tried|try|trying|pilot|trial|experiment|test)\b", _I)
COMPARATIVE = re.compile(
    r"\b(?:easier|simpler|better|kinder|quicker|cheaper|fairer|safer|clearer)\b", _I
)
STOP = re.compile(
    r"\b(?:say no|said no|saying no|stop|stopped|stopping|quit|quitting|leave|leaving|"
    r"walk away|let (?:it|the project|them) go|drop|cancel|refuse|refused|scrap|step back|"
    r"stepping back|give up|ignore)\b",
    _I,
)
PROBLEM = re.compile(r"\b(?:real |actual |underlying )?(problem|issue|question|symptom)\b", _I)
WORKED = re.compile(r"\b(?:worked|helped|fixed|sorted|transformed)\b", _I)
THOUGHT = re.compile(r"\b(considered|thought about|thought of|explored|looked into)\b", _I)
FEELING = re.compile(
    r"\b(?:like|trust|enjoy|feel|feeling|happy|upset|worried|ok|okay|supported|comfortable|"
    r"confident|angry|get on) (?:with |about |on with )?(?P<what>him|her|them|it|"
    r"(?:the|your|his|her|their|our|this|that) [\w' -]+)?",
    _I,
)
ACTION = re.compile(
    r"(?:why (?:don't|not|wouldn't|won't|can't) (?:you |u |we )?|could (?:you|u) (?:maybe |"
    r"perhaps |not |possibly )?|can't (?:you|u) |shouldn't (?:you|u) |should (?:you|u) |"
    r"do you think you should |you (?:\w+ly |really |just |totally )?(?:should|need to|"
    r"ought to|must|have to|could always|might want to)|i(?:'d| would)(?: \w+ly)?|"
    r"(?:would|might) it (?:help|be worth|be better|make sense) to |maybe you could |"
    r"^)\s*(?:just )?(?P<verb>[a-z]+)(?P<rest>(?: [\w'-]+){0,7})",
    _I,
)
_CUT = re.compile(r"\s(?:before|after|because|so|and then|if|when|that's|it'll|she|he|they)\b.*")


def reframe(reading: Reading) -> str | None:
    body = p.PREAMBLE.sub("", reading.sentence.strip(" .!?\"'")).strip(" ,.!?")
    if reading.kind is Kind.CLOSED:
        return _reframe_closed(body)
    return _reframe_suggestion(body, advice=reading.kind is Kind.ADVICE)


def _reframe_closed(body: str) -> str:
    feeling = FEELING.search(body)
    if feeling:
        return f"How do you feel about {_trim(feeling.group('what') or 'this')}?"
    noun = NOUN_PHRASE.search(body)
    return f"What can you tell us about {_trim(noun.group()) if noun else 'this'}?"


def _reframe_suggestion(body: str, *, advice: bool) -> str | None:
    person = PERSON_VERB.search(body)
    if advice and WORKED.search(body):
        return "What has worked for you before, and what hasn't?"
    if person:
        return f"How do you think {as_subject(_trim(person.group('who')))} would see this?"
    if TRY.search(body):
        return "What have you tried so far, and what did you learn from it?"
    thought = THOUGHT.search(body)
    if thought:
        return f"What options have you {thought.group(1).lower()} so far?"
    return _reframe_view(body) or _reframe_action(body)


def _reframe_view(body: str) -> str | None:
    comparative = COMPARATIVE.search(body)
    if comparative:
        return f"What would make this {comparative.group().lower()} for you?"
    if STOP.search(body):
        return "What would you like to stop doing, if anything?"
    problem = PROBLEM.search(body)
    if problem:
        return f"What do you see as the real {problem.group(1).lower()} here?"
    return None


def _reframe_action(body: str) -> str | None:
    action = ACTION.search(body)
    if action is None:
        return None
    doing = gerund(action.group("verb"))
    rest = _CUT.sub("", action.group("rest")).strip()
    if not doing or len(doing) < 4:
        return None
    return f"What might {doing} {rest} change for you?".replace("  ", " ")


def _trim(phrase: str) -> str:
    return " ".join(phrase.split()[:5]).strip(" ,.")
