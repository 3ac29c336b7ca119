"""Privacy-preserving encodings of persons: keyed Bloom filters (CLKs) and identifier tokens.

Two nodes that share a secret key can learn whether they hold the same person without either
sending a name, a date or a number: each encodes its persons with the key, and only the
encodings travel. This module makes the encodings and compares them; the key, the index and
the messages belong to the callers (the ``checks`` app).

**Names** become a cryptographic long-term key (CLK, Schnell, Bachteler & Reiher 2011): a
Bloom filter of ``CLK_BITS`` bits into which the keyed hashes of the name's q-grams are set.
The q-grams are taken from *every* Latin spelling of the name (``tipnet.linkage.names.name_parts``,
which transliterates Cyrillic, Arabic and other scripts several ways and drops patronymics), one
token at a time, so that "Шухрат Юсупов" and "Yusupov Shuhrat" set nearly the same bits whatever
the script and the word order. Four kinds of bigram are set from each token: of the spelling
as written, of its phonetic skeleton ("shukhrat" -> "shuhrat"), of a coarser key that also
folds c/k, z/s and some vowels, of its consonant key ("shhrt"), which is what Arabic
script, writing few vowels, shares with the Latin spelling, and of that key in Arabic
script's consonant classes ("pasquale" and "باسكوالي" both "bskl"). A name in Arabic script is
read by vowelled readings of its letters, with and without the article "al-", rather than
by anyascii's consonant skeleton. Names of foreign origin are
written back in Latin by their own language's habits, which no rule foresees, so the learned
cross-script similarity of ``tipnet.linkage.learned`` is encoded too: the name's vector in each
model's shared space is cut by keyed random hyperplanes (SimHash) and each run of four signs
is one more feature, so names whose vectors are close share most of these features.

**Hashing.** Each feature is hashed with HMAC-SHA256 under the key; the first two 64-bit words
of the digest give ``h1`` and ``h2`` and the feature sets bits ``(h1 + i * h2) mod 2L`` for
``i < k`` (double hashing, Kirsch & Mitzenmacher 2006). Without the key nobody can tell which
q-gram set which bit.

**Hardening: XOR-folding.** The filter is built with ``2 * CLK_BITS`` bits and its two halves
are XOR-ed into one (Schnell, Borgs & Encarnação 2016). Every stored bit then depends on two
positions, which mixes the bits of frequent q-grams with others: on names of the region it
halves the bits that stand out (set in most encodings), which frequency and pattern-mining
attacks (Christen et al. 2017-2020) start from. A q-gram in nearly every name still sets a few
nearly constant bits. What it costs in recall is measured in ``bench/checks/accuracy.py``
(docs/encodings.md has the figures: 0.3 point of top-1 in Russian, 0.5 in Arabic).

**Persons** add to the name's q-grams the date of birth at each precision it is known (year,
year-month, full date; a partial date sets only what it has) and the sex, in one filter, so
``person_encoding`` Dice rewards agreeing dates and ``name_encoding`` Dice compares names alone.

**Identifiers** (phone, passport, national ID, e-mail) are exact after normalisation, so they
are not Bloom-encoded but become keyed HMAC-SHA256 tokens: equal identifiers give equal tokens,
and nothing else can be learned from a token without the key.

Dice similarities are computed over the packed bits with numpy's popcount on 64-bit words, for
one query against a whole index at once (``dice_many``).
"""

import hashlib
import hmac
import os
import re
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from itertools import pairwise

import numpy as np

from tipnet.linkage import identifiers, learned
from tipnet.linkage.names import consonant_key, drop_patronymic, name_parts, skeleton, tokens
from tipnet.linkage.scripts import detect_script
from tipnet.linkage.translit import latin_form

CLK_BITS = 1024
"""Length in bits of every encoding (after folding); encodings are ``CLK_BITS // 8`` bytes."""

ENCODING_VERSION = 3
"""Version of the encoding scheme. Encodings of different versions must not be compared: an
index records the version it was built with and is rebuilt when this changes. Version 2 reads a
name in Arabic script through the Arabic learned model only (version 1: through every model).
Version 3 reads an Arabic-script name's q-grams from vowelled readings, with and without the
article, instead of anyascii's consonant skeleton, and adds to every name the bigrams of its
consonant key in Arabic script's letter classes (p/b, v/f, c/q/k, z/s, j/g, no inner h)."""

CLK_BYTES = CLK_BITS // 8
_FOLDS = 2  # the filter before XOR-folding has _FOLDS * CLK_BITS bits
# Hash functions per q-gram, chosen on the training half of the Wikidata pairs
# (bench/checks/accuracy.py): few bits per q-gram keep the folded filter about a quarter full,
# where XOR-folding costs least; the skeleton, coarse and consonant bigrams count twice as much
# as the bigrams of the spelling as written.
_K_SKELETON = 2
_K_COARSE = 2
_K_CONSONANT = 2
_K_SPELLING = 1
# The consonant classes of Arabic script (``_consonant_class``), in every name: what a Latin
# spelling of an Arabic-script name shares with the script's own letters.
_K_CLASS = 2
# Learned similarity: for each script with a model (tipnet.linkage.learned), the name's unit
# vector in the model's shared space is cut by _LSH_PLANES keyed random hyperplanes (SimHash,
# Charikar 2002) and each run of _LSH_BAND signs becomes one feature with _K_LSH bits.
_LSH_PLANES = 512
_LSH_BAND = 4
_K_LSH = 1
# Scripts whose names are read through their own script's model only. Arabic script writes few
# vowels, so its Latin form (anyascii) is a poor guess that the Cyrillic model, reading it, turns
# into bits no Latin spelling of the name shares: noise that XOR-folding spreads over the bits
# that do agree. A Cyrillic name's Latin forms are exact, so the Arabic model reads them too.
_OWN_MODEL_ONLY = frozenset({"Arab"})
# Date of birth and sex: enough bits that an agreeing date raises the person Dice clearly
# above the name's and a contradicting one lowers it (about a fifth of the set bits).
_K_DATE = 40
_K_SEX = 16
_IDENTIFIER_KINDS = frozenset({"phone", "passport", "national_id", "email"})
_REPEATS = re.compile(r"(.)\1+")
# Folds on top of the phonetic skeleton for the coarse key: letters that Latin spellings of
# one sound swap (Cariou/Kariu, Suazo/Suaso) and vowels that transliterations disagree on.
_COARSE_RULES = (("c", "k"), ("z", "s"), ("x", "ks"), ("e", "i"), ("o", "u"))

# Strength bands (see ``strength``), chosen on synthetic persons in bench/checks/accuracy.py
# ("bands"): two records of one person, with typos, other spellings and partial dates, against
# pairs of different persons.
STRONG_NAME = 0.6
STRONG_PERSON = 0.7
POSSIBLE_NAME = 0.5
POSSIBLE_PERSON = 0.55
# A person Dice this far below the name Dice means the dates or sexes disagree: a namesake.
DATE_CONFLICT = 0.1
# With names alone (no date or sex on one side) the bar is higher.
STRONG_NAME_ONLY = 0.8
POSSIBLE_NAME_ONLY = 0.7

# np.bitwise_count (numpy >= 2.0) counts set bits of each word in C; a table is the fallback.
_POPCOUNT_TABLE = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes | bytearray) or len(key) < 16:
        raise ValueError("The key must be at least 16 bytes.")


def _positions(key: bytes, feature: str, k: int) -> list[int]:
    """The ``k`` raw-filter positions of one feature (double hashing on HMAC-SHA256)."""
    digest = hmac.digest(key, feature.encode("utf-8"), "sha256")
    h1 = int.from_bytes(digest[:8], "big")
    h2 = int.from_bytes(digest[8:16], "big") | 1
    return [(h1 + i * h2) % (_FOLDS * CLK_BITS) for i in range(k)]


def _bigrams(text: str) -> list[str]:
    padded = f"_{text}_"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def _coarse(form: str) -> str:
    """The skeleton with c/k, z/s and e/i, o/u made equal ("cariou" -> "kariu")."""
    text = skeleton(form)
    for old, new in _COARSE_RULES:
        text = text.replace(old, new)
    return _REPEATS.sub(r"\1", text)


# Arabic script: a vowelled reading instead of anyascii's consonant skeleton. anyascii drops
# alif and writes waw and ya as consonants ("فايس" -> "fys", "دانييلي" -> "dnyyly"), so an
# Arabic-script name shared few bigrams, and a different first letter, with its Latin
# spellings ("weiss", "daniele"). The long vowels are read as vowels, the first letter of a
# word as Latin spellings write it (alif, ain -> "a"), and a word with the article "al-"
# also without it ("الفتاح" -> "alfattah" and "fattah"), as Latin spellings often drop it.
_ARABIC_LETTERS = {
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ٱ": "a",
    "ى": "a",
    "ة": "a",
    "ء": "",
    "ئ": "",
    "ؤ": "",
    "ع": "",
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "و": "u",
    "ي": "i",
    "پ": "p",
    "چ": "ch",
    "ژ": "zh",
    "گ": "g",
    "ک": "k",
    "ی": "i",
}
_ARABIC_INITIAL = {"و": "w", "ي": "y", "ی": "y", "ع": "a", "ا": "a", "أ": "a", "إ": "i"}
_ARABIC_ARTICLE = "ال"


def _arabic_word(word: str) -> str:
    out = []
    for i, letter in enumerate(word):
        prev = word[i - 1] if i else ""
        if i == 0 and letter in _ARABIC_INITIAL:
            out.append(_ARABIC_INITIAL[letter])
        elif letter in "وي" and prev in "اوي":  # a consonant after a long vowel
            out.append("w" if letter == "و" else "y")
        else:
            out.append(_ARABIC_LETTERS.get(letter, ""))
    return "".join(out)


def _arabic_readings(name: str) -> list[list[str]]:
    """Vowelled Latin readings of an Arabic-script name, with and without the article."""
    words = [w for w in re.split(r"[\s\-.]+", name) if w]
    full = [_arabic_word(w) for w in words]
    bare = [
        _arabic_word(w[2:]) if w.startswith(_ARABIC_ARTICLE) and len(w) > 3 else None for w in words
    ]
    readings = [[t for t in full if t]]
    if any(b is not None for b in bare):
        readings.append([b or f for b, f in zip(bare, full, strict=True) if b or f])
    return [r for r in readings if r]


_CLASS_RULES = str.maketrans({"p": "b", "v": "f", "c": "k", "q": "k", "z": "s", "j": "g"})


def _consonant_class(form: str) -> str:
    """The consonant key with the letters Arabic script does not tell apart, or that Latin
    spellings of Arabic-script names swap, made equal: p/b, v/f, c/q/k, z/s, j/g, and no h
    after the first letter."""
    key = consonant_key(form)
    if not key:
        return key
    rest = key[1:].translate(_CLASS_RULES).replace("h", "")
    return _REPEATS.sub(r"\1", key[0].translate(_CLASS_RULES) + rest)


@lru_cache(maxsize=200_000)
def _gram_features(name: str) -> tuple[tuple[str, int], ...]:
    """The (q-gram, hash count) pairs of a name over all its Latin spellings, deduplicated."""
    features: dict[str, int] = {}
    # an Arabic-script name by its vowelled readings, not anyascii's consonant skeleton
    readings = _arabic_readings(name) if detect_script(name) == "Arab" else name_parts(name)
    for parts in readings:
        for part in parts:
            forms = [part]
            if "x" in part:  # Uzbek Latin x is the kh sound (Shuxrat = Shukhrat)
                forms.append(part.replace("x", "kh"))
            for form in forms:
                for gram in _bigrams(form):
                    features["w" + gram] = _K_SPELLING
                for gram in _bigrams(skeleton(form)):
                    features["s" + gram] = _K_SKELETON
                for gram in _bigrams(_coarse(form)):
                    features["o" + gram] = _K_COARSE
                for gram in _bigrams(consonant_key(form)):
                    features["c" + gram] = _K_CONSONANT
                for gram in _bigrams(_consonant_class(form)):
                    features["a" + gram] = _K_CLASS
    return tuple(features.items())


@lru_cache(maxsize=500_000)
def _feature_positions(key: bytes, feature: str, k: int) -> tuple[int, ...]:
    return tuple(_positions(key, feature, k))


@lru_cache(maxsize=200_000)
def _gram_positions(key: bytes, name: str) -> np.ndarray:
    """All raw-filter positions of a name's q-grams under a key."""
    out = [p for f, k in _gram_features(name) for p in _feature_positions(key, f, k)]
    return np.asarray(out, dtype=np.int64)


# The learned vectors of recently encoded names, per script with a model (filled in batches).
_EMBEDDINGS: dict[str, np.ndarray] = {}
_EMBEDDINGS_MAX = 200_000


def _without_patronymic(name: str) -> str:
    """The name's words less its patronymic, in the script it is written in."""
    words = name.split()
    latins = [tokens(latin_form(w)) for w in words]
    kept = drop_patronymic([t for ts in latins for t in ts])
    if len(kept) == sum(len(ts) for ts in latins):
        return name
    remaining = list(kept)
    out = []
    for word, ts in zip(words, latins, strict=True):
        if ts and all(t in remaining for t in ts):
            for t in ts:
                remaining.remove(t)
            out.append(word)
    return " ".join(out) or name


def _embed_all(names: list[str]) -> None:
    """Compute the learned vectors of the names not yet known, one batch per model and side."""
    todo = list(dict.fromkeys(n for n in names if n not in _EMBEDDINGS))
    if not todo:
        return
    if len(_EMBEDDINGS) + len(todo) > _EMBEDDINGS_MAX:
        _EMBEDDINGS.clear()
    scripts = [detect_script(n) for n in todo]
    # the learned models see the name as the q-grams do: without a patronymic
    texts = [_without_patronymic(n) for n in todo]
    vectors: list[list[np.ndarray]] = [[] for _ in todo]
    for model_script in learned.SCRIPTS:
        model = learned.model(model_script)
        if model is None:
            continue
        native = [i for i, s in enumerate(scripts) if s == model_script]
        elsewhere = [i for i, s in enumerate(scripts) if s != model_script and s in _OWN_MODEL_ONLY]
        other = [i for i, s in enumerate(scripts) if s != model_script and s not in _OWN_MODEL_ONLY]
        latins = [texts[i] if scripts[i] == "Latn" else latin_form(texts[i]) for i in other]
        dims = model.native_w.shape[1]
        for rows, embedded in (
            (native, model.embed_natives([texts[i] for i in native])),
            (other, model.embed_latins(latins)),
            (elsewhere, np.zeros((len(elsewhere), dims), dtype=np.float32)),
        ):
            for i, vector in zip(rows, embedded, strict=True):
                vectors[i].append(vector)
    for name, found in zip(todo, vectors, strict=True):
        _EMBEDDINGS[name] = np.stack(found) if found else np.zeros((0, 0), dtype=np.float32)


@lru_cache(maxsize=8)
def _lsh_tables(key: bytes, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """Keyed SimHash hyperplanes for each model, and the raw positions of every band value.

    Returns:
        planes (models, dims, _LSH_PLANES) and positions (models, bands, 2**_LSH_BAND, _K_LSH).
    """
    seed = int.from_bytes(hmac.digest(key, b"lsh hyperplanes", "sha256")[:16], "big")
    rng = np.random.default_rng(seed)
    models = len(learned.SCRIPTS)
    planes = rng.standard_normal((models, dims, _LSH_PLANES)).astype(np.float32)
    bands = _LSH_PLANES // _LSH_BAND
    positions = np.asarray(
        [
            [_positions(key, f"l{m}:{band}:{value}", _K_LSH) for value in range(2**_LSH_BAND)]
            for m in range(models)
            for band in range(bands)
        ],
        dtype=np.int64,
    ).reshape(models, bands, 2**_LSH_BAND, _K_LSH)
    return planes, positions


def _learned_positions(name: str, key: bytes) -> np.ndarray:
    """Raw positions of the SimHash bands of the name's learned vectors."""
    _embed_all([name])
    vectors = _EMBEDDINGS[name]
    if not vectors.size:
        return np.zeros(0, dtype=np.int64)
    planes, positions = _lsh_tables(key, vectors.shape[1])
    out = []
    bands = np.arange(_LSH_PLANES // _LSH_BAND)
    for m, vector in enumerate(vectors):
        if not vector.any():
            continue  # no n-gram of the name is in the model's vocabulary
        signs = (vector @ planes[m]) > 0
        values = np.packbits(signs.reshape(-1, _LSH_BAND), axis=1, bitorder="little")[:, 0]
        out.append(positions[m, bands, values].ravel())
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _name_positions(name: str, key: bytes) -> list[np.ndarray]:
    grams = _gram_positions(key, name)
    if not grams.size:
        return []  # no letters: nothing to encode
    return [grams, _learned_positions(name, key)]


def _date_features(birth_date: str | None) -> list[tuple[str, int]]:
    if not birth_date:
        return []
    year, month, day = identifiers.parse_partial_date(birth_date)
    out = [(f"y{year}", _K_DATE)]
    if month:
        out.append((f"m{year}-{month:02d}", _K_DATE))
        if day:
            out.append((f"d{year}-{month:02d}-{day:02d}", _K_DATE))
    return out


def _sex_features(sex: str | None) -> list[tuple[str, int]]:
    if sex is None or sex == "":
        return []
    if sex not in ("m", "f"):
        raise ValueError(f"Sex must be 'm', 'f' or None, not {sex!r}.")
    return [(f"x{sex}", _K_SEX)]


def _encode(positions: list[np.ndarray], harden: bool = True) -> bytes:
    raw = np.zeros(_FOLDS * CLK_BITS, dtype=np.bool_)
    for chunk in positions:
        raw[chunk] = True
    # Hardened: XOR the halves. Unhardened (only for measuring what hardening costs): OR them,
    # which is a plain CLK_BITS-bit Bloom filter with the same hash functions.
    parts = raw.reshape(-1, CLK_BITS)
    folded = np.bitwise_xor.reduce(parts) if harden else np.bitwise_or.reduce(parts)
    return np.packbits(folded).tobytes()


def name_encoding(name: str, key: bytes, *, harden: bool = True) -> bytes:
    """Return the keyed, XOR-folded Bloom-filter encoding (CLK) of a person's name.

    Args:
        name: a person name in any script; word order and patronymics do not matter.
        key: the shared secret (at least 16 bytes).
        harden: XOR-fold the filter (the default, and the only form to exchange); False gives
            the plain Bloom filter, for measuring what hardening costs.

    Returns:
        ``CLK_BITS // 8`` bytes of packed bits. A name with no letters gives all zeros.

    Raises:
        ValueError: the key is shorter than 16 bytes.

    Examples:
        >>> key = b"example key, not a secret"
        >>> len(name_encoding("Шухрат Юсупов", key)) == CLK_BITS // 8
        True
        >>> a, b = name_encoding("Шухрат Юсупов", key), name_encoding("Yusupov Shuhrat", key)
        >>> c = name_encoding("Gulnora Karimova", key)
        >>> dice(a, b) > 0.7 > 0.4 > dice(a, c)
        True
    """
    _check_key(key)
    return _encode(_name_positions(name, bytes(key)), harden)


def name_encodings(names: list[str], key: bytes, *, harden: bool = True) -> np.ndarray:
    """Return the encodings of many names as an ``(n, CLK_BITS // 8)`` uint8 matrix.

    The same encodings as ``name_encoding`` one by one, with the learned vectors computed in
    one batch: the way to (re)build an index, e.g. after the key changes.

    Args:
        names: person names in any script.
        key: the shared secret (at least 16 bytes).
        harden: as in ``name_encoding``.

    Returns:
        One row per name, ready for ``dice_many`` or ``EncodingIndex``.

    Examples:
        >>> key = b"example key, not a secret"
        >>> m = name_encodings(["Шухрат Юсупов", "Gulnora Karimova"], key)
        >>> m.shape == (2, CLK_BITS // 8)
        True
        >>> m[1].tobytes() == name_encoding("Gulnora Karimova", key)
        True
    """
    _check_key(key)
    key = bytes(key)
    for start in range(0, len(names), 10_000):
        _embed_all(names[start : start + 10_000])
    return encoding_matrix([_encode(_name_positions(n, key), harden) for n in names])


def person_encoding(name: str, birth_date: str | None, sex: str | None, key: bytes) -> bytes:
    """Return the CLK of a person: the name's q-grams plus date of birth and sex.

    Args:
        name: a person name in any script.
        birth_date: "YYYY-MM-DD", "YYYY-MM" or "YYYY" (also the other forms of
            ``tipnet.linkage.identifiers.parse_partial_date``), or None when unknown. Each
            known precision (year, month, day) sets its own bits, so a partial date still
            agrees with the full one in part.
        sex: "m", "f" or None.
        key: the shared secret (at least 16 bytes).

    Returns:
        ``CLK_BITS // 8`` bytes of packed bits.

    Raises:
        ValueError: the key is too short, the date is not a date or the sex is not m/f/None.

    Examples:
        >>> key = b"example key, not a secret"
        >>> p = person_encoding("Шухрат Юсупов", "1985-03-14", "m", key)
        >>> same = person_encoding("Shuhrat Yusupov", "1985-03-14", "m", key)
        >>> other_year = person_encoding("Shuhrat Yusupov", "1991-07-02", "m", key)
        >>> dice(p, same) > dice(p, other_year)
        True
    """
    _check_key(key)
    key = bytes(key)
    extra = [*_date_features(birth_date), *_sex_features(sex)]
    positions = [np.asarray(_positions(key, f, k), dtype=np.int64) for f, k in extra]
    return _encode([*_name_positions(name, key), *positions])


def person_encodings(persons: list[tuple[str, str | None, str | None]], key: bytes) -> np.ndarray:
    """Return the encodings of many persons as an ``(n, CLK_BITS // 8)`` uint8 matrix.

    The same encodings as ``person_encoding`` one by one, with the learned vectors of the
    names computed in batches: the way to (re)build a node's index after the key changes.

    Args:
        persons: ``(name, birth_date, sex)`` triples as ``person_encoding`` takes them.
        key: the shared secret (at least 16 bytes).

    Returns:
        One row per person.

    Raises:
        ValueError: as ``person_encoding``, for the first person that has a bad date or sex.

    Examples:
        >>> key = b"example key, not a secret"
        >>> m = person_encodings([("Шухрат Юсупов", "1985-03", "m")], key)
        >>> m[0].tobytes() == person_encoding("Шухрат Юсупов", "1985-03", "m", key)
        True
    """
    _check_key(key)
    names = [name for name, _, _ in persons]
    for start in range(0, len(names), 10_000):
        _embed_all(names[start : start + 10_000])
    return encoding_matrix([person_encoding(n, d, s, key) for n, d, s in persons])


def _normalised_identifier(kind: str, value: str, country: str | None) -> str | None:
    try:
        if kind == "phone":
            return identifiers.normalise_phone(value, country)
        if kind in ("passport", "national_id"):
            if not country:
                return None
            issuer = identifiers.normalise_country(country)
            return f"{issuer}:{identifiers.normalise_document(value, issuer)}"
        return identifiers.normalise_email(value)
    except ValueError:
        return None


def identifier_token(kind: str, value: str, key: bytes, country: str | None = None) -> str | None:
    """Return the keyed token of an exact identifier, or None when the value does not normalise.

    The value is normalised first (``tipnet.linkage.identifiers``): a phone to E.164, reading a
    national number in ``country``; a passport or national ID number to upper-case letters and
    digits prefixed with its issuing ``country`` (required); an e-mail address to lower case.
    The token is HMAC-SHA256 under the key of "kind:normalised value", in hex, so equal
    identifiers of one kind give equal tokens and a passport never equals a phone.

    Args:
        kind: "phone", "passport", "national_id" or "email".
        value: the identifier as written.
        key: the shared secret (at least 16 bytes).
        country: ISO 3166-1 alpha-2: the default region of a phone number, the issuing country
            of a passport or ID number; ignored for e-mail.

    Returns:
        64 hex characters, or None when the value is not an identifier of that kind.

    Raises:
        ValueError: the kind is unknown or the key too short.

    Examples:
        >>> key = b"example key, not a secret"
        >>> a = identifier_token("phone", "+998 90 123-45-67", key)
        >>> a == identifier_token("phone", "90 123 45 67", key, country="UZ")
        True
        >>> identifier_token("passport", "aa 1234567", key, "UZ") == identifier_token(
        ...     "passport", "AA1234567", key, "UZ")
        True
        >>> identifier_token("email", "not an address", key) is None
        True
    """
    if kind not in _IDENTIFIER_KINDS:
        raise ValueError(f"Unknown identifier kind {kind!r}; one of {sorted(_IDENTIFIER_KINDS)}.")
    _check_key(key)
    normalised = _normalised_identifier(kind, value, country)
    if normalised is None:
        return None
    return hmac.new(bytes(key), f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()


def encoding_matrix(encodings: list[bytes]) -> np.ndarray:
    """Stack encodings into the ``(n, CLK_BITS // 8)`` uint8 matrix ``dice_many`` takes.

    Raises:
        ValueError: an encoding has the wrong length.
    """
    if any(len(e) != CLK_BYTES for e in encodings):
        raise ValueError(f"Every encoding must be {CLK_BYTES} bytes.")
    if not encodings:
        return np.zeros((0, CLK_BYTES), dtype=np.uint8)
    return np.frombuffer(b"".join(encodings), dtype=np.uint8).reshape(len(encodings), CLK_BYTES)


def popcounts(matrix: np.ndarray) -> np.ndarray:
    """The set-bit count of each row of an encoding matrix (int32), to pass to ``dice_many``."""
    words = np.ascontiguousarray(matrix).view(np.uint64)
    counts: np.ndarray = np.bitwise_count(words).sum(axis=1, dtype=np.int32)
    return counts


# Rows per step of dice_many: 32,768 x 128 bytes is 4 MB, so each step stays in cache.
_CHUNK = 32_768
# An index scan is split over the cores from this many rows on (below it, starting threads
# costs more than it saves); one thread pool serves every index of the process.
_PARALLEL_ROWS = 200_000
_MAX_THREADS = 4
_SCAN_THREADS = max(1, min(_MAX_THREADS, os.cpu_count() or 1))
_POOL: ThreadPoolExecutor | None = None


def _scan_pool() -> ThreadPoolExecutor:
    global _POOL  # one pool per process, made on first use
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_MAX_THREADS, thread_name_prefix="clk-scan")
    return _POOL


def _query_words(query: bytes) -> np.ndarray:
    if not isinstance(query, bytes | bytearray) or len(query) != CLK_BYTES:
        raise ValueError(f"The query must be {CLK_BYTES} bytes.")
    return np.frombuffer(bytes(query), dtype=np.uint64)


def _check_matrix(matrix: np.ndarray) -> None:
    if matrix.ndim != 2 or matrix.shape[1] != CLK_BYTES or matrix.dtype != np.uint8:
        raise ValueError(f"The matrix must be (n, {CLK_BYTES}) uint8.")


def dice_many(
    query: bytes, matrix: "np.ndarray | EncodingIndex", counts: np.ndarray | None = None
) -> np.ndarray:
    """Return the Dice similarity of one encoding with every row of a matrix of encodings.

    Dice = 2 |A & B| / (|A| + |B|) over the set bits, computed with numpy's popcount on 64-bit
    words in chunks, without a Python loop over rows. Two empty encodings have Dice 0.

    Args:
        query: one encoding (``CLK_BITS // 8`` bytes).
        matrix: ``(n, CLK_BITS // 8)`` uint8, one encoding per row (see ``encoding_matrix``),
            or an ``EncodingIndex`` (faster for large indexes).
        counts: optionally the rows' set-bit counts from ``popcounts(matrix)``, kept beside an
            index so that a query reads the matrix once instead of twice.

    Returns:
        float32 array of ``n`` similarities in [0, 1].

    Raises:
        ValueError: the query or the matrix has the wrong shape.

    Examples:
        >>> m = encoding_matrix([bytes([255] * 128), bytes([15] * 128), bytes(128)])
        >>> [round(float(x), 3) for x in dice_many(bytes([255] * 128), m)]
        [1.0, 0.667, 0.0]
    """
    if isinstance(matrix, EncodingIndex):
        return matrix.dice(query)
    q = _query_words(query)
    _check_matrix(matrix)
    q_count = int(np.bitwise_count(q).sum())
    words = np.ascontiguousarray(matrix).view(np.uint64)
    n = words.shape[0]
    out = np.empty(n, dtype=np.float32)
    for start in range(0, n, _CHUNK):
        block = words[start : start + _CHUNK]
        common = np.bitwise_count(block & q).sum(axis=1, dtype=np.int32)
        total = (
            counts[start : start + _CHUNK]
            if counts is not None
            else np.bitwise_count(block).sum(axis=1, dtype=np.int32)
        ) + q_count
        # two empty encodings: 0 / 1 = 0
        out[start : start + _CHUNK] = 2.0 * common / np.maximum(total, 1)
    return out


class EncodingIndex:
    """Encodings held for fast one-query scans: the fastest way to check against many persons.

    The rows are stored as ``CLK_BITS // 64`` planes of 64-bit words (word ``j`` of every
    encoding side by side), so a scan ANDs and counts long contiguous runs instead of short
    rows, about three times faster than ``dice_many`` on a row matrix; the set-bit counts of
    the rows are kept too. 1,000,000 encodings take 132 MB.

    Args:
        encodings: a list of encodings or an ``(n, CLK_BITS // 8)`` uint8 matrix.

    Examples:
        >>> key = b"example key, not a secret"
        >>> names = ["Gulnora Karimova", "Shuhrat Yusupov", "Rustam Nazarov"]
        >>> index = EncodingIndex([name_encoding(n, key) for n in names])
        >>> [i for i, _ in index.top(name_encoding("Шухрат Юсупов", key), k=1)]
        [1]
    """

    def __init__(self, encodings: "list[bytes] | np.ndarray") -> None:
        matrix = encodings if isinstance(encodings, np.ndarray) else encoding_matrix(encodings)
        _check_matrix(matrix)
        self.planes = np.ascontiguousarray(np.ascontiguousarray(matrix).view(np.uint64).T)
        self.counts = popcounts(matrix)

    def __len__(self) -> int:
        return int(self.counts.shape[0])

    @property
    def nbytes(self) -> int:
        """Memory held by the index, in bytes."""
        return int(self.planes.nbytes + self.counts.nbytes)

    def dice(self, query: bytes, threads: int | None = None) -> np.ndarray:
        """Dice similarity of ``query`` with every encoding, as ``dice_many`` (float32).

        A large index is scanned in ``threads`` contiguous parts at once (by default one per
        core, at most ``_MAX_THREADS``): numpy's ufuncs release the GIL, so the parts run in
        parallel and a check's wall time falls with the cores while its CPU time stays.
        """
        q = _query_words(query)
        q_count = int(np.bitwise_count(q).sum())
        n = len(self)
        out = np.empty(n, dtype=np.float32)
        step = 4 * _CHUNK
        parts = threads if threads is not None else _SCAN_THREADS
        parts = max(1, min(parts, -(-n // step)))
        if parts == 1 or n < _PARALLEL_ROWS:
            self._dice_rows(q, q_count, out, 0, n)
            return out
        # Part bounds on multiples of `step`, so each part reads whole blocks.
        blocks = -(-n // step)
        bounds = [min(n, (blocks * i // parts) * step) for i in range(parts + 1)]
        ranges = [(lo, hi) for lo, hi in pairwise(bounds) if hi > lo]
        list(_scan_pool().map(lambda r: self._dice_rows(q, q_count, out, *r), ranges))
        return out

    def _dice_rows(self, q: np.ndarray, q_count: int, out: np.ndarray, lo: int, hi: int) -> None:
        step = 4 * _CHUNK
        common = np.empty(step, dtype=np.uint16)
        word = np.empty(step, dtype=np.uint64)
        ones = np.empty(step, dtype=np.uint8)
        for start in range(lo, hi, step):
            size = min(step, hi - start)
            acc, tmp, cnt = common[:size], word[:size], ones[:size]
            acc[:] = 0
            for j, q_word in enumerate(q):
                np.bitwise_and(self.planes[j, start : start + size], q_word, out=tmp)
                np.bitwise_count(tmp, out=cnt)
                acc += cnt
            total = np.maximum(self.counts[start : start + size] + q_count, 1)
            np.divide(2.0 * acc, total, out=out[start : start + size])

    def top(self, query: bytes, k: int = 10) -> list[tuple[int, float]]:
        """The ``k`` most similar encodings as ``(row, dice)``, best first, ties by row."""
        if k < 1:
            raise ValueError("k must be at least 1")
        if not len(self):
            return []
        scores = self.dice(query)
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(best.tolist(), key=lambda j: (-scores[j], j))
        return [(j, round(float(scores[j]), 6)) for j in ranked]


def dice(a: bytes, b: bytes) -> float:
    """The Dice similarity of two encodings (see ``dice_many``)."""
    return float(dice_many(a, encoding_matrix([b]))[0])


def strength(name_dice: float, person_dice: float | None, token_match: bool) -> str | None:
    """Return the strength band of a check result, or None when it is no hit.

    * "identifier": an identifier token (phone, passport, ID, e-mail) is equal on both sides.
    * "strong": the person encodings agree closely (person Dice >= ``STRONG_PERSON``), so do
      the names (name Dice >= ``STRONG_NAME``), and the date of birth and sex do not pull the
      person Dice more than ``DATE_CONFLICT`` below the name Dice (which a namesake born on
      another day does); with names alone, name Dice >= ``STRONG_NAME_ONLY``.
    * "possible": person Dice >= ``POSSIBLE_PERSON`` and name Dice >= ``POSSIBLE_NAME``; with
      names alone, name Dice >= ``POSSIBLE_NAME_ONLY``.

    The thresholds come from bench/checks/accuracy.py (docs/encodings.md has the rates): on
    synthetic records of Central Asian persons, about half the pairs of records of one person
    are "strong" and 9 in 10 are a hit, while about one pair of different persons in 1,000 is
    "possible" and none of 3,000 was "strong"; namesakes born on other days are "possible".
    A hit is an invitation to a follow-up request, never an identification.

    Args:
        name_dice: Dice of the two name encodings.
        person_dice: Dice of the two person encodings, or None when only names were compared.
        token_match: whether any identifier token is equal.

    Returns:
        "identifier", "strong", "possible" or None.

    Examples:
        >>> strength(0.3, None, True)
        'identifier'
        >>> strength(0.7, 0.75, False)
        'strong'
        >>> strength(0.7, 0.6, False)
        'possible'
        >>> strength(0.7, None, False)
        'possible'
        >>> strength(0.4, 0.5, False) is None
        True
    """
    if token_match:
        return "identifier"
    if person_dice is None:
        if name_dice >= STRONG_NAME_ONLY:
            return "strong"
        return "possible" if name_dice >= POSSIBLE_NAME_ONLY else None
    agrees = person_dice >= name_dice - DATE_CONFLICT
    if name_dice >= STRONG_NAME and person_dice >= STRONG_PERSON and agrees:
        return "strong"
    if name_dice >= POSSIBLE_NAME and person_dice >= POSSIBLE_PERSON:
        return "possible"
    return None


def encoded_best_matches(
    queries: list[str], candidates: list[str], key: bytes, k: int = 5, *, harden: bool = True
) -> list[list[tuple[int, float]]]:
    """Return, for each query, its ``k`` best candidates by Dice of the name encodings alone.

    The same return shape as ``tipnet.linkage.matching.best_matches``, so that the encoded
    ranking can be measured against the plaintext one; only encodings are compared.

    Args:
        queries: names in any script.
        candidates: names in any script.
        key: the shared secret (at least 16 bytes).
        k: how many candidates to return per query (fewer if there are fewer candidates).
        harden: as in ``name_encoding``.

    Returns:
        One list per query of ``(candidate_index, dice)``, best first, ties by index.

    Raises:
        ValueError: k < 1 or the key is too short.

    Examples:
        >>> key = b"example key, not a secret"
        >>> candidates = ["Gulnora Karimova", "Shuhrat Yusupov"]
        >>> ranked = encoded_best_matches(["Шухрат Юсупов"], candidates, key)
        >>> [i for i, _ in ranked[0]]
        [1, 0]
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    _check_key(key)
    if not queries or not candidates:
        return [[] for _ in queries]
    index = EncodingIndex(name_encodings(candidates, key, harden=harden))
    return [index.top(q.tobytes(), k) for q in name_encodings(queries, key, harden=harden)]
