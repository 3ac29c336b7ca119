"""Standard operating procedures between a country of origin and a country of destination.

One YAML file per pair in data/sops/ (`UZ-AE.yaml`: origin first); its legal basis and each
step's title are written in English, Russian and Uzbek; each step carries its source and the
action it opens (a police-to-police request, an MLA draft, the victims' pages). Progress is a
workspace item per node and step, so every party sees where each country stands.
"""

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

DATA = Path(__file__).parent / "data" / "sops"
ACTIONS = ("", "cooperation", "mla", "victims")


def _in_language(texts: dict[str, str]) -> str:
    language = (get_language() or "en").split("-")[0]
    return texts.get(language) or texts["en"]


LANGUAGES = {"en", "ru", "uz"}


@dataclass(frozen=True)
class Step:
    code: str
    phase: str
    title: dict[str, str]
    source: str
    action: str

    def label(self) -> str:
        return _in_language(self.title)


@dataclass(frozen=True)
class Procedure:
    pair: str
    origin: str
    destination: str
    legal_basis: dict[str, str]
    steps: tuple[Step, ...]

    def basis_label(self) -> str:
        """The legal basis in the reader's language."""
        return _in_language(self.legal_basis)


def _load(path: Path) -> Procedure:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = tuple(Step(**step) for step in data["steps"])
    for step in steps:
        if step.action not in ACTIONS or not step.source or set(step.title) != LANGUAGES:
            raise ValueError(f"{path.name}: step {step.code} is incomplete")
    if not isinstance(data["legal_basis"], dict) or set(data["legal_basis"]) != LANGUAGES:
        raise ValueError(f"{path.name}: the legal basis needs en, ru and uz")
    return Procedure(path.stem, data["origin"], data["destination"], data["legal_basis"], steps)


@functools.cache
def procedures() -> dict[str, Procedure]:
    """Every procedure of data/sops, by pair ("UZ-AE")."""
    return {path.stem: _load(path) for path in sorted(DATA.glob("*.yaml"))}


def for_countries(countries: list[str]) -> list[Procedure]:
    """The procedures between any two of `countries`, in either direction."""
    found = []
    for procedure in procedures().values():
        if procedure.origin in countries and procedure.destination in countries:
            found.append(procedure)
    return found


def find_step(pair: str, code: str) -> Step | None:
    procedure = procedures().get(pair)
    return next((s for s in procedure.steps if s.code == code), None) if procedure else None


def action_url(step: Step, case_id: int | None) -> str:
    """Where the step's action starts, for this node's case of the investigation ("" if none)."""
    query = f"?case={case_id}" if case_id else ""
    try:
        if step.action == "cooperation":
            return "/cooperation/new/" + query
        if step.action == "mla":
            return reverse("mla:new") + query
        if step.action == "victims":
            return reverse("victims:home")
    except NoReverseMatch:
        return ""
    return ""
