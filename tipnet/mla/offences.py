"""The law's text of the offence articles a request cites, from data/offences.yaml.

A letter's offence section quotes each article of the requesting state's law that the request
(its offences field) or its case (the case's offence articles) cites, in the letter's language.
"""

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from django.utils.translation import get_language
from pydantic import BaseModel, ConfigDict, Field

DATA_FILE = Path(__file__).resolve().parent / "data" / "offences.yaml"

# "art. 135", "Article 127.1", "ст. 128", "статья 130-1", "135-modda", "section 6", "madde 80".
_CITATION = re.compile(
    r"(?:\b(?:art(?:icles?|s)?|ст(?:атья|атьи|атей)?|section|sections|s|madde|moddasi|modda)"
    r"\.?\s*(\d+(?:[.\-]\d+)?(?:\s+bis)?))|(?:\b(\d+(?:[.\-]\d+)?)-(?:modda|moddasi)\b)",
    re.IGNORECASE,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Texts(_Strict):
    en: str = Field(min_length=1)
    ru: str = Field(min_length=1)
    uz: str = ""

    def get(self, lang: str) -> str:
        return getattr(self, lang, "") or self.en


class Article(_Strict):
    state: str = Field(pattern=r"^[A-Z]{2}$")
    numbers: list[str] = Field(min_length=1)
    law: Texts
    title: Texts
    text: Texts
    source: str = Field(min_length=1, max_length=500)
    verified: bool


class OffenceFile(_Strict):
    schema_: Literal[1] = Field(alias="schema")
    articles: list[Article]


@lru_cache(maxsize=1)
def _articles() -> tuple[Article, ...]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return tuple(OffenceFile.model_validate(data).articles)


def _normal(number: str) -> str:
    return " ".join(number.replace("-", ".").lower().split())


def cited_numbers(*texts: str) -> list[str]:
    """The article numbers cited in `texts`, normalised ("130-1" -> "130.1"), in order."""
    found: list[str] = []
    for text in texts:
        for match in _CITATION.finditer(text or ""):
            number = _normal(match.group(1) or match.group(2) or "")
            if number not in found:
                found.append(number)
    return found


def cited_articles(state: str, *texts: str, lang: str | None = None) -> list[dict]:
    """The articles of `state`'s law that `texts` cite, as law, number, title, text, source
    and is_verified in `lang` (the active language by default; English where a text lacks it)."""
    lang = (lang or get_language() or "en")[:2]
    numbers = cited_numbers(*texts)
    rows = []
    for article in _articles():
        match = next((n for n in article.numbers if _normal(n) in numbers), None)
        if article.state == state.upper() and match:
            rows.append(
                {
                    "law": article.law.get(lang),
                    "number": article.numbers[0],
                    "title": article.title.get(lang),
                    "text": article.text.get(lang),
                    "source": article.source,
                    "is_verified": article.verified,
                }
            )
    return rows
