"""Reading the treaty data file (data/treaties.yaml) into validated rows.

The file is parsed with PyYAML's safe loader and checked with pydantic, so a typo in a status or
a missing source is reported with its place in the file before anything is stored.
"""

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .enums import Channel, Instrument, PartyStatus

DATA_FILE = Path(__file__).resolve().parent / "data" / "treaties.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Fact(_Strict):
    source: str = Field(min_length=1, max_length=500)
    verified: bool


class PartyFact(Fact):
    status: Literal[tuple(PartyStatus.values)]
    date: dt.date | None = None


class ListFact(Fact):
    value: list[str]


class AuthorityFact(Fact):
    agency: str = Field(min_length=1, max_length=255)


class TranslationFact(Fact):
    """What a state asks to be translated: which documents, into which languages, certified."""

    into: list[str] = Field(min_length=1)
    documents: list[Literal["request", "annexes"]] = Field(min_length=1)
    certified: bool


class StateData(_Strict):
    parties: dict[Literal[tuple(Instrument.values)], PartyFact]
    languages: ListFact
    central_authority: AuthorityFact | None = None
    channels: ListFact
    translation: TranslationFact | None = None

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, fact: ListFact) -> ListFact:
        unknown = set(fact.value) - set(Channel.values)
        if unknown:
            raise ValueError(f"unknown channel(s): {', '.join(sorted(unknown))}")
        return fact


class TreatyData(Fact):
    code: str = Field(pattern=r"^[a-z0-9-]{3,64}$")
    states: list[str] = Field(min_length=2, max_length=2)
    title: str = Field(min_length=1, max_length=500)
    in_force_on: dt.date | None = None
    languages: list[str] = []
    channels: list[str] = []


class TreatyFile(_Strict):
    schema_: Literal[1] = Field(alias="schema")
    sources: dict[str, str] = {}
    states: dict[str, StateData]
    bilateral: list[TreatyData] = []


def read_treaty_file(path: Path | None = None) -> TreatyFile:
    """Parse and validate the treaty file; ValueError names the first problem and its place."""
    text = Path(path or DATA_FILE).read_text(encoding="utf-8")
    try:
        return TreatyFile.model_validate(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        raise ValueError(f"treaty file is not valid YAML: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"treaty file: {where}: {first['msg']}") from None
