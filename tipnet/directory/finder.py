"""The executing-authority finder: who carries out a measure of assistance, and where.

Given a country, a measure (tipnet/mla/measures.py) and optionally a region or city, it reads
data/executing_authorities.yaml for the kinds of authority that execute that measure there and
answers with the directory's agencies of the first kind it holds, those serving the place asked
for first, then the national ones.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from tipnet.mla.measures import MEASURES

from .models import Agency, AgencyType
from .search import word_forms, words

DATA_FILE = Path(__file__).resolve().parent / "data" / "executing_authorities.yaml"


@cache
def table() -> dict:
    """The data file, checked: known measures and agency kinds only."""
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    rows = [data["default"], *data["countries"].values()]
    for row in rows:
        for measure, kinds in row.items():
            if measure not in MEASURES or not set(kinds) <= set(AgencyType.values):
                raise ValueError(f"{DATA_FILE.name}: unknown measure or kind in {measure}")
    return data


def kinds_for(country: str, measure: str) -> list[str]:
    """The agency kinds that execute `measure` in `country`, in order of preference."""
    data = table()
    row = data["countries"].get(country.upper(), {})
    return list(row.get(measure) or data["default"].get(measure, []))


@dataclass
class Answer:
    kinds: list[str]
    kind: str = ""
    local: list[Agency] = field(default_factory=list)
    national: list[Agency] = field(default_factory=list)
    # Of the right kind but serving another place: shown last, when nothing nearer is known.
    other: list[Agency] = field(default_factory=list)
    note: str = ""
    source: str = ""

    @property
    def agencies(self) -> list[Agency]:
        return self.local + self.national + self.other


def _forms(text: str) -> set[str]:
    return {f for word in words(text) for f in word_forms(word)}


def _serves(agency: Agency, wanted: set[str]) -> bool:
    return bool(wanted) and bool(wanted & _forms(agency.region))


def find(agencies, country: str, measure: str, region: str = "") -> Answer:
    """The competent authority for `measure` in `country` (and `region`) among `agencies`
    (already limited to what the reader may see)."""
    data = table()
    answer = Answer(kinds_for(country, measure), source=data["source"])
    answer.note = data.get("notes", {}).get(country.upper(), "")
    wanted = _forms(region)
    in_country = agencies.filter(country_id=country.upper()).prefetch_related("contact_points")
    for kind in answer.kinds:
        rows = list(in_country.filter(kind=kind))
        if not rows:
            continue
        answer.kind = kind
        answer.local = [a for a in rows if _serves(a, wanted)]
        answer.national = [a for a in rows if not a.region]
        answer.other = [a for a in rows if a.region and a not in answer.local]
        break
    return answer
