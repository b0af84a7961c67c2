"""The English rules of the question coach."""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach.english.learned import models
from bot.coach.english.read import read_sentence
from bot.coach.english.recognise import is_english
from bot.coach.english.reframe import FALLBACK, reframe
from bot.coach.reading import Reading


@dataclass(frozen=True)
class EnglishRules:
    code: str = "en"
    fallback_question: str = FALLBACK

    def recognises(self, text: str) -> bool:
        return is_english(text)

    def read(self, sentence: str) -> Reading:
        return read_sentence(sentence)

    def weigh(self, text: str, reading: Reading) -> Reading:
        learned = models()
        return reading if learned is None else learned.weigh(text, reading)

    def reframe(self, reading: Reading) -> str | None:
        return reframe(reading)


ENGLISH = EnglishRules()
