"""Translation catalogue checks and compilation, with polib (no GNU gettext needed at run time)."""

import sys
from dataclasses import dataclass
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent
LANGUAGES = ("ru", "uz")


def catalogues() -> list[Path]:
    """Every .po file of the project and its apps, for the translated languages."""
    return sorted(
        po for lang in LANGUAGES for po in PACKAGE.glob(f"**/locale/{lang}/LC_MESSAGES/django.po")
    )


@dataclass(frozen=True)
class Gap:
    catalogue: Path
    msgid: str
    problem: str


def gaps(po_path: Path) -> list[Gap]:
    """Entries of a .po file that are untranslated or fuzzy."""
    po = polib.pofile(str(po_path))
    found = [Gap(po_path, e.msgid, "untranslated") for e in po.untranslated_entries()]
    found += [Gap(po_path, e.msgid, "fuzzy") for e in po.fuzzy_entries() if not e.obsolete]
    return found


def compile_all() -> None:
    for po_path in catalogues():
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


if __name__ == "__main__":
    if sys.argv[1:] == ["compile"]:
        compile_all()
    else:
        sys.exit("usage: python -m tipnet.lib.i18n compile")
