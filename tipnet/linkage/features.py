"""Turn raw records into the columns the linkage model compares and blocks on.

Each record becomes one row of plain values and string lists (name spellings as phonetic
skeletons, search keys, normalised identifiers), so the same table works on DuckDB and Spark.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

import anyascii

from tipnet.linkage import identifiers
from tipnet.linkage.names import consonant_key, name_parts, skeleton

ROLES = (
    "given_name",
    "surname",
    "patronymic",
    "full_name",
    "date_of_birth",
    "sex",
    "place",
    "address",
    "postcode",
    "phone",
    "document",
    "email",
)
NAME_ROLES = frozenset({"given_name", "surname", "patronymic", "full_name"})

# One prepared row: column name -> a string, a list of strings, or None.
Row = dict[str, Any]

# Column name -> type of every prepared row ("list" columns are arrays of strings).
COLUMNS = {
    "unique_id": "str",
    "name_skels": "list",
    "name0": "str",
    "name_keys": "list",
    "name_pairs": "list",
    "given_skels": "list",
    "given0": "str",
    "surname_skels": "list",
    "surname0": "str",
    "patronymic0": "str",
    "dob": "str",
    "dob_year": "str",
    "sex": "str",
    "place": "str",
    "address": "str",
    "postcode": "str",
    "phone": "str",
    "document": "str",
    "email": "str",
}
# Key of the names as written in a prepared row (given, surname, full name).
RAW = "_raw"
# A native-script name token takes the Latin token of the input that the learned similarity
# ranks first, when its score (``best_matches``) is at least this high.
LEARNED_MIN_SCORE = 0.85
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SEX = {"m": "m", "male": "m", "м": "m", "муж": "m", "f": "f", "female": "f", "ж": "f", "жен": "f"}
_TEXT = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=200_000)
def _spellings(name: str) -> tuple[tuple[str, ...], ...]:
    """Skeleton tokens of each spelling of a name (cached: given names and surnames repeat)."""
    return tuple(tuple(skeleton(p) for p in parts) for parts in name_parts(name))


def _join(values: Iterable[str | None]) -> str:
    return " ".join(v.strip() for v in values if v and v.strip())


def _name_columns(row: Row, given: str, surname: str, full: str) -> None:
    whole = _join([given, surname]) or full
    spellings = _spellings(whole) if whole else ()
    sorted_forms = list(dict.fromkeys(" ".join(sorted(s)) for s in spellings))
    row["name_skels"] = sorted_forms or None
    row["name0"] = sorted_forms[0] if sorted_forms else None
    keys: set[str] = set()
    pairs: set[str] = set()
    for spelling in spellings:
        token_keys = sorted({consonant_key(t) for t in spelling} - {""})
        keys.update(token_keys)
        pairs.update(f"{a}|{b}" for i, a in enumerate(token_keys) for b in token_keys[i + 1 :])
    row["name_keys"] = sorted(keys) or None
    row["name_pairs"] = sorted(pairs) or None
    for role, value in (("given", given), ("surname", surname)):
        forms = list(dict.fromkeys(" ".join(s) for s in _spellings(value))) if value else []
        row[f"{role}_skels"] = forms or None
        row[f"{role}0"] = forms[0] if forms else None


def _date(text: str) -> tuple[str | None, str | None]:
    text = text.strip()
    compact = _COMPACT_DATE.match(text)
    if compact:
        text = "-".join(compact.groups())
    try:
        year, month, day = identifiers.parse_partial_date(text)
    except ValueError:
        return None, None
    parts = [f"{year:04d}"] + [f"{v:02d}" for v in (month, day) if v is not None]
    return "-".join(parts), f"{year:04d}"


def _plain(text: str) -> str | None:
    return _TEXT.sub(" ", anyascii.anyascii(text).lower()).strip() or None


def _quiet(function: Callable[..., str], *args: str) -> str | None:
    """An identifier that does not parse is treated as missing, not as a mismatch."""
    try:
        return function(*args)
    except ValueError:
        return None


def prepare_record(
    record: Mapping[str, str | None], fields: Mapping[str, list[str]], uid: str
) -> Row:
    """Return the model's row for one raw record.

    Args:
        record: column name -> raw value.
        fields: role -> the columns that hold it (several columns are joined with a space).
        uid: the record's id.
    """
    value = {role: _join(record.get(col) for col in cols) for role, cols in fields.items()}
    row: Row = dict.fromkeys(COLUMNS)
    row["unique_id"] = uid
    _name_columns(
        row, value.get("given_name", ""), value.get("surname", ""), value.get("full_name", "")
    )
    # the names as written, for the learned cross-script spellings (``learned_spellings``);
    # not a column: the backends register only COLUMNS
    row[RAW] = (value.get("given_name", ""), value.get("surname", ""), value.get("full_name", ""))
    if value.get("patronymic"):
        row["patronymic0"] = skeleton(_join(t for t in _spellings(value["patronymic"])[0])) or None
    row["dob"], row["dob_year"] = _date(value.get("date_of_birth", ""))
    row["sex"] = _SEX.get(value.get("sex", "").strip().lower())
    for role in ("place", "address", "postcode"):
        row[role] = _plain(value.get(role, ""))
    if value.get("phone"):
        row["phone"] = _quiet(identifiers.normalise_phone, value["phone"])
    if value.get("document"):
        cleaned = re.sub(r"[^A-Z0-9]", "", value["document"].upper())
        row["document"] = cleaned or None
    if value.get("email"):
        row["email"] = _quiet(identifiers.normalise_email, value["email"])
    return row


def learned_spellings(tables: Iterable[list[Row]]) -> int:
    """Add, to records with names in Cyrillic or Arabic, the Latin spellings of the same input
    that the learned cross-script similarity finds for their name tokens.

    Rules spell a native name the way the national standards do; names of foreign origin come
    back to Latin by their own habits (Зерфюсс -> Zehrfuss), which no rule produces. Every
    distinct native token is ranked against every distinct Latin token of the input with
    ``best_matches`` (rules blended with the learned similarity, as for search); the best Latin
    token, if it scores at least ``LEARNED_MIN_SCORE``, becomes one more spelling of the token:
    its skeleton joins the given-name, surname and full-name spellings and its key the name
    keys, so the comparisons and the blocking see it. Returns the number of records changed.
    """
    from tipnet.linkage.matching import best_matches
    from tipnet.linkage.names import tokens
    from tipnet.linkage.scripts import detect_script

    tables = list(tables)
    native: set[str] = set()
    latin: set[str] = set()
    for rows in tables:
        for row in rows:
            for text in row.get(RAW) or ():
                for word in text.split():
                    script = detect_script(word)
                    if script in ("Cyrl", "Arab"):
                        native.add(word)
                    elif script == "Latn":
                        latin.update(tokens(word)[:1])
    if not native or not latin:
        return 0
    queries, candidates = sorted(native), sorted(latin)
    best = {}
    for query, ranked in zip(queries, best_matches(queries, candidates, k=1), strict=True):
        if ranked and ranked[0][1] >= LEARNED_MIN_SCORE:
            best[query] = skeleton(candidates[ranked[0][0]])
    changed = 0
    for rows in tables:
        for row in rows:
            given, surname, full = row.get(RAW) or ("", "", "")
            extra = {
                word: best[word]
                for text in (given, surname, full)
                for word in text.split()
                if word in best
            }
            if extra:
                _add_spellings(row, given, surname, full, extra)
                changed += 1
    return changed


def _add_spellings(row: Row, given: str, surname: str, full: str, extra: dict[str, str]) -> None:
    def learned_form(text: str) -> str | None:
        words = text.split()
        if not words or not all(w in extra for w in words):
            return None
        return " ".join(extra[w] for w in words)

    for role, text in (("given", given), ("surname", surname)):
        form = learned_form(text)
        if form and row[f"{role}_skels"] is not None and form not in row[f"{role}_skels"]:
            row[f"{role}_skels"] = [*row[f"{role}_skels"], form]
    whole = learned_form(_join([given, surname]) or full)
    if whole and row["name_skels"] is not None:
        form = " ".join(sorted(whole.split()))
        if form not in row["name_skels"]:
            row["name_skels"] = [*row["name_skels"], form]
    keys = {consonant_key(t) for t in extra.values()} - {""}
    if keys and row["name_keys"] is not None:
        all_keys = sorted(set(row["name_keys"]) | keys)
        row["name_keys"] = all_keys
        pairs = set(row["name_pairs"] or [])
        pairs.update(f"{a}|{b}" for i, a in enumerate(all_keys) for b in all_keys[i + 1 :])
        row["name_pairs"] = sorted(pairs)
