"""English word lists the rules share."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word list written as running text, one space apart."""
    return frozenset(text.split())


COMMON_WORDS = words(
    """
    a about after again all also always am an and any anyone are as ask asked at back be
    because been before being better both but by can could did do does doing done don't
    down each else even ever every feel felt few first for from get go going good got had
    has have having he her here him his how i i'd i'll i'm i've if in into is isn't it it's
    its just know last let like look made make many may me might more most much must my
    need never new next no not now of off ok on once one only or other our out over own
    people really right said same say see she should so some still such sure take team
    tell than thank thanks that that's the their them then there these they thing think
    this those though through time to too try two up us very want was way we well were
    what what's when where which while who why will with without work would yes yet you
    you're your yours
    """
)
"""Common English words: a text of several words with none of them is not English."""

FOREIGN_WORDS = words(
    """
    el la los las del por para pero porque qué que como cómo hablar hablas deberías
    gracias usted tus su sus muy también le les des est vous nous je tu te qui
    quoi avec pour pas c'est une sont votre toi merci bien selon vraiment der das
    und ist nicht ich du hast schon sehr danke wie warum haben sein ein eine mit
    il gli hai con di che non tuo sei grazie perché het een je jij wat hoe niet
    zich heb ook wij dank bedankt obrigado obrigada pela pelo você não uma muito asante
    sana kwa na ni diolch yn fawr iawn chi
    """
)
"""Frequent words of other languages that are not also English words."""

IMPERATIVE_VERBS = words(
    """
    apply ask avoid book bring build call cancel change check choose consider contact cut
    delegate document drop email escalate find focus follow get give go hire ignore
    insist invite involve keep lean leave log make meet move note plan prioritise
    prioritize push put quit raise read record request say schedule send set share sign
    speak split start stop take talk tell think trust try use wait walk write
    """
)
"""Verbs that, opening a statement, recommend an action ("Escalate it.")."""
