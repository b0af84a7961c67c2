"""Finding the asker's own words to reuse: the person, action or thing a sentence is about."""

from __future__ import annotations

import re

from bot.coach.english.inflect import gerund
from bot.coach.english.lexicon import IMPERATIVE_VERBS, words

_I = re.IGNORECASE
DETERMINER = r"(?:the|your|his|her|their|our|these|those|a|an|my|this|that)"
_STOP = words(
    """
    is are was were be been to for on in at of with about yet before after if or and when
    because by from than who which that so now first again still directly instead today
    tomorrow too any ever over right really just enough please soon next this or
    """
)
_VERBISH = words(
    """
    report know meet finish agree pick push open change use get have work happen stay start
    end ends made make go come take give help want need see think feel say tell ask run
    supportive aware ready new permanent ok okay right own
    """
)
VERBS = IMPERATIVE_VERBS | words(
    """
    automate bring close delay demo drop escalate hire involve merge outsource pair pilot
    run scrap set speak test trial tell wait write
    """
)
_NEEDS_OBJECT = words("go get do make take have put set bring send give keep use")
PERSON_WORDS = re.compile(
    r"(?:manager|director|lead|nurse|matron|sponsor|board|union|rep|hr|curators?|donors?|"
    r"trustees?|team|staff|exec|ceo|legal|finance|developers?|designers?|volunteers?|"
    r"patients?|clinicians?|office|chief|mentor|colleagues?|boss|set|mediator|forum|"
    r"department|council|councillors?|parents?|governors?|teachers?|head|principal|committee|"
    r"chair|funders?|agency|officers?|partners?|"
    r"him|her|them|he|she|they)",
    _I,
)
PERSON_VERB = re.compile(
    r"\b(?:talk|talking|talked|speak|speaking|spoke|spoken|go|going|went|ask|asking|"
    r"asked|tell|telling|told|raise it with|involve|involving|get|getting|bring in|"
    r"bringing in|call|calling|email|emailing|approach|approaching|escalate it to|lean on|"
    r"put it to)(?: (?:to|with))? (?:just )?(?P<who>(?:the|your|a|an|his|her|their|our) "
    r"(?:[\w'-]+ ){0,2}[\w'-]+|HR|him|her|them|legal|finance)\b",
    _I,
)
ACTION = re.compile(
    r"(?:\bwhy (?:don't|not|wouldn't|won't|can't) (?:you |u |we )?|\bcould (?:you|u) "
    r"(?:maybe |perhaps |not |possibly )?|\bcan't (?:you|u) |\bshouldn't (?:you|u) |"
    r"\bshould (?:you|u) |\byou (?:\w+ly |really |just |totally )?(?:should|need to|ought to|"
    r"must|have to|could always|might want to|'d be better off) |\bi(?:'d| would)(?: \w+ly)? |"
    r"\b(?:help|worth|better|best|wise|sensible|sense|time|easier|simpler|kinder) to |"
    r"\bmaybe you could |\byou (?:could|can|might) (?:always |just |also )?|"
    r"\b(?:what|how) about |\bworth |\b(?:is|be|was) (?:to )?|^|, )(?:just |please |also )?"
    r"(?P<verb>[a-z]+)(?P<rest>(?: [\w'\"-]+){0,7})",
    _I,
)
LOOK_AT = re.compile(r"\b(?:look|looking) at (?P<np>(?:the|a|an) [\w' -]+)", _I)
THING = re.compile(
    r"\b(?:you need|recommend|suggest|try|consider|(?:what|how) about|worked for us was|"
    r"maybe|might|would|wouldn't|could|think|help is|helps is)\s+"
    r"(?P<np>(?:a|an|some|more) [\w' -]+?)"
    r"(?= (?:help|give|solve|work|make|be|would|could|might|for you)\b|[?.!,]|$)",
    _I,
)
_CUT = re.compile(r"\s(?:before|after|because|so|and|if|when|that's|it'll|she|he|they|first)\b.*")
_SUBJECT_AFTER = re.compile(
    r"^\s*(?:(?:(?:don't|do) (?:you|u) (?:not )?think(?: that)?(?: maybe)?|\w+n't|surely|is|"
    r"was|could|might) )?"
    r"(?P<who>you|they|he|she|(?:the|your|his|her|their|our) (?:[\w'-]+ ){0,2}?[\w'-]+)"
    r"(?='d|'re|'s| (?:just|really|be|being|have|need|needs|would|should|might|feel|feels|is|"
    r"are|was|were|want|get|\w+ing|\w+s)\b)",
    _I,
)


def person(text: str) -> str | None:
    """Whom the asker would have the presenter talk to ("the union rep", "HR")."""
    found = PERSON_VERB.search(text)
    if found is None:
        return None
    who = found.group("who").split()
    for end in range(len(who), 0, -1):
        if PERSON_WORDS.fullmatch(who[end - 1]):
            return _trim(" ".join(who[:end]))
    return None


def action(text: str) -> str | None:
    """The recommended action as a gerund phrase ("writing a business case")."""
    start = 0
    while (found := ACTION.search(text, start)) is not None:
        verb = found.group("verb").lower()
        if verb in VERBS or (verb.endswith("ing") and len(verb) > 5 and verb != "thing"):
            rest = _CUT.sub("", found.group("rest").replace('"', "")).strip(" ,")
            if not rest and verb in _NEEDS_OBJECT:
                return None  # "going" alone says nothing of what the asker meant
            return _trim(f"{gerund(verb)} {rest}", 8)
        start = found.start() + 1
    return None


SUGGESTED = re.compile(
    r"\b(?:tried|try|trying|considered|consider|considering|thought (?:about|of)|"
    r"think (?:about|of)|explored|looked into|what if you|(?:what|how) about)"
    r" (?:just |ever |maybe |perhaps )?(?P<what>(?!(?:what|how|why|who|when|where|that|it|"
    r"one|this)\b)[a-z][\w' -]*)",
    _I,
)
_CLAUSE_END = re.compile(r"\s*(?:[,;:?!.]|\s-\s|\b(?:and|but|because|so|instead|first)\b).*")


def suggested(text: str) -> str | None:
    """What the asker would have the presenter try ("a weekly huddle", "asking for more
    time"), taken from after "tried", "considered", "thought about", "what about"."""
    found = SUGGESTED.search(text)
    if found is None:
        return None
    what = _CLAUSE_END.sub("", found.group("what")).strip()
    words = what.split()
    first = words[0].lower() if words else ""
    if first.endswith("n't") or first in {"not", "never", "do", "did"}:
        return None
    if first in _BASE or (first.endswith("ed") and first not in {"shared", "need"}):
        words[0] = gerund(_BASE.get(first, first[:-2]))
    return _trim(" ".join(words), 7) if words else None


_BASE = {"tried": "try", "brought": "bring", "went": "go", "said": "say", "asked": "ask"}


def thing(text: str) -> str | None:
    """A recommended thing ("a project manager", "a shared drive")."""
    found = THING.search(text) or LOOK_AT.search(text)
    return _trim(found.group("np"), 6) if found else None


def subject(text: str) -> str | None:
    """Who or what an opinion is about ("Isn't the board just protecting itself?")."""
    found = _SUBJECT_AFTER.search(text)
    return _trim(found.group("who")) if found else None


def first_noun_phrase(text: str) -> str | None:
    """The first determiner-led phrase, cut before the first verb-like word."""
    tokens = text.split()
    for index, token in enumerate(tokens):
        if not re.fullmatch(DETERMINER, token, _I):
            continue
        phrase = [token]
        for word in tokens[index + 1 : index + 4]:
            if _ends_phrase(word, first=len(phrase) == 1):
                break
            phrase.append(word)
        if len(phrase) > 1:
            return " ".join(phrase)
    return None


def _ends_phrase(word: str, *, first: bool) -> bool:
    lower = word.lower()
    return (
        lower in _STOP
        or re.fullmatch(DETERMINER, lower) is not None
        or lower.endswith("ed")
        or not lower.replace("'", "").isalpha()
        or (not first and (lower in _VERBISH or lower.endswith(("ing", "ly", "ive"))))
    )


def possessive(phrase: str) -> str:
    lower = phrase.lower()
    if lower == "you":
        return "your own"
    if lower in {"they", "he", "she"}:
        return {"they": "their", "he": "his", "she": "her"}[lower]
    return f"{phrase}'" if lower.endswith("s") else f"{phrase}'s"


def is_person(phrase: str) -> bool:
    return bool(PERSON_WORDS.fullmatch(phrase.split()[-1]))


def _trim(phrase: str, most: int = 5) -> str:
    return " ".join(phrase.split()[:most]).strip(" ,.;:!?\"'")
