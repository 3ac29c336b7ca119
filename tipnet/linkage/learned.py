"""A learned cross-script name similarity: character n-grams projected by canonical correlation.

Rules (tipnet.linkage.translit) spell a Cyrillic or Arabic name the way the national
standards do, but names of foreign origin are written back in Latin by their own language's
habits (зерфюсс -> Zehrfuss, إيواشيرو -> Iwashiro), and Arabic leaves out most vowels. So for
each script a pair of linear maps, learned from Wikidata name pairs (CC0) by canonical
correlation analysis, takes the bag of character 1-3-grams of a native name and of a Latin
name into one space where a name and its Latin form lie close together. The maps live in
``data/<script>.npz`` (rebuilt by ``bench/linkage/train_transliteration.py``) and are read the
first time a query in that script is ranked.
"""

import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).parent / "data"
# The scripts that have a model; any other query is ranked by the rules alone.
SCRIPTS = ("Cyrl", "Arab")
MAX_GRAM = 3


def normalise(name: str, latin: bool) -> str:
    """Lowercase letters and single spaces; Latin names lose their accents (Müller -> muller)."""
    text = name.lower()
    if latin:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if c.isascii())
    letters = "".join(c if c.isalpha() else " " for c in text)
    return " ".join(letters.split())


def grams(name: str, latin: bool) -> list[str]:
    """Character 1-3-grams of each word of a name, with ^ and $ marking the word's ends."""
    out: list[str] = []
    for word in normalise(name, latin).split():
        padded = f"^{word}$"
        for n in range(1, MAX_GRAM + 1):
            out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return [g for g in out if g not in ("^", "$")]


def embed(
    names: list[str], vocab: dict[str, int], weights: np.ndarray, offset: np.ndarray, latin: bool
) -> np.ndarray:
    """Project each name's n-gram bag with ``weights`` (vocabulary x dims), less the training
    mean ``offset``; rows have unit length."""
    rows: list[int] = []
    cols: list[int] = []
    for i, name in enumerate(names):
        idx = [vocab[g] for g in grams(name, latin) if g in vocab]
        rows.extend([i] * len(idx))
        cols.extend(idx)
    out = np.zeros((len(names), weights.shape[1]), dtype=np.float32)
    # sums each name's n-gram rows: a sparse bag times the dense projection, without scipy
    np.add.at(out, np.asarray(rows, dtype=np.int64), weights[np.asarray(cols, dtype=np.int64)])
    out -= offset
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    unit: np.ndarray = out / np.maximum(norms, 1e-9)
    return unit


class Model:
    """The two projections of one script: native names and Latin names into one space."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.native_vocab = {g: i for i, g in enumerate(arrays["native_vocab"].tolist())}
        self.latin_vocab = {g: i for i, g in enumerate(arrays["latin_vocab"].tolist())}
        self.native_w = np.asarray(arrays["native_w"], dtype=np.float32)
        self.latin_w = np.asarray(arrays["latin_w"], dtype=np.float32)
        self.native_mean = np.asarray(arrays["native_mean"], dtype=np.float32)
        self.latin_mean = np.asarray(arrays["latin_mean"], dtype=np.float32)
        # the share of the final score that comes from this model (chosen on validation pairs)
        self.weight = float(arrays["weight"])

    def embed_natives(self, names: list[str]) -> np.ndarray:
        """Unit vectors of native-script names in the shared space."""
        return embed(names, self.native_vocab, self.native_w, self.native_mean, latin=False)

    def embed_latins(self, names: list[str]) -> np.ndarray:
        """Unit vectors of Latin-script names in the shared space."""
        return embed(names, self.latin_vocab, self.latin_w, self.latin_mean, latin=True)

    def similarity(self, natives: list[str], latins: list[str]) -> np.ndarray:
        """Cosine similarity of each native name to each Latin name, clipped to [0, 1]."""
        scores: np.ndarray = np.clip(
            self.embed_natives(natives) @ self.embed_latins(latins).T, 0.0, 1.0
        )
        return scores


def save(path: Path, model_arrays: dict[str, Any]) -> None:
    """Write a model's arrays (vocabularies, float16 projections, blend weight) to ``path``."""
    np.savez_compressed(path, **model_arrays)


@cache
def model(script: str) -> Model | None:
    """The learned model of a script, read on first use; None if the script has none."""
    path = DATA / f"{script.lower()}.npz"
    if script not in SCRIPTS or not path.exists():
        return None
    with np.load(path, allow_pickle=False) as arrays:
        return Model(arrays)
