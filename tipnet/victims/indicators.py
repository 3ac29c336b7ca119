"""The screening indicators, read from data/indicators.json (which names its source)."""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import get_language

DATA_FILE = Path(__file__).resolve().parent / "data" / "indicators.json"


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    is_strong: bool
    labels: dict

    def label(self) -> str:
        lang = (get_language() or "en")[:2]
        return self.labels.get(lang) or self.labels["en"]


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def indicators() -> list[Indicator]:
    return [
        Indicator(row["code"], row["group"], row["strong"], {k: row[k] for k in ("en", "ru", "uz")})
        for row in _data()["indicators"]
    ]


def indicator_codes() -> set[str]:
    return {row["code"] for row in _data()["indicators"]}


def source() -> str:
    return _data()["source"]


def suggested_status(codes: list[str]) -> str:
    """`presumed` when a strong indicator or enough indicators are present, else `potential`.

    With none present, `not_victim` is suggested; the caseworker decides in every case.
    """
    if not codes:
        return "not_victim"
    strong = {i.code for i in indicators() if i.is_strong}
    if strong & set(codes) or len(codes) >= _data()["threshold_presumed"]:
        return "presumed"
    return "potential"
