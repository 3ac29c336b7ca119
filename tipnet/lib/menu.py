"""What an app offers the menu and the home page: its areas and what waits for the user.

Each domain app that has pages of its own may keep a `menu` module with `areas(user)` and
`waiting(user)`; `tipnet.navigation` gathers them, so an app adds itself to the menu without
the project level knowing its rules. Labels are plain or lazily translated strings.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Area:
    """One entry of the menu and one card of the home page."""

    key: str
    label: Any
    url: str
    description: Any


@dataclass(frozen=True)
class Waiting:
    """Something that waits for the user: how many, where to see them, and how urgent."""

    key: str
    label: Any
    count: int
    url: str
    urgent: bool = False
