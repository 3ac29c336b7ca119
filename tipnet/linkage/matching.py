"""Vectorised ranking of many names against many candidates."""

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from tipnet.linkage import learned
from tipnet.linkage.names import consonant_key, name_parts, skeleton
from tipnet.linkage.scripts import detect_script

# Queries are scored in blocks so that the score matrix stays small (block x all candidate
# spellings of float32: 256 x 40,000 is 40 MB).
_BLOCK = 256
# Arabic script writes few vowels, so its Latin spellings disagree with the usual Latin forms
# mostly in the vowels; for an Arabic-script query this share of the score comes from the
# vowel-less keys of both names (0.7 was best on half of the Wikidata training pairs, the
# other half being kept for the benchmark).
_ARABIC_CONSONANT_WEIGHT = 0.7


def _consonants(name: str) -> str:
    """The name's first spelling as consonant keys ("Mohammed Abdullah" -> "mhmd abdl")."""
    parts = name_parts(name)
    return " ".join(consonant_key(t) for t in parts[0]) if parts else ""


def _blend_arabic(scores: np.ndarray, queries: list[str], cand_consonants: list[str]) -> None:
    rows = [i for i, q in enumerate(queries) if detect_script(q) == "Arab"]
    if not rows:
        return
    keys = process.cdist(
        [_consonants(queries[i]) for i in rows],
        cand_consonants,
        scorer=JaroWinkler.normalized_similarity,
        dtype=np.float32,
        workers=-1,
    )
    weight = _ARABIC_CONSONANT_WEIGHT
    scores[rows] = (1 - weight) * scores[rows] + weight * keys


def _spellings(name: str) -> list[str]:
    """Skeleton strings of a name: each Latin spelling in written order and in sorted order."""
    out: list[str] = []
    for parts in name_parts(name):
        skeletons = [skeleton(p) for p in parts]
        for form in (" ".join(skeletons), " ".join(sorted(skeletons))):
            if form not in out:
                out.append(form)
    return out or [""]


def _expand(names: list[str]) -> tuple[list[str], np.ndarray]:
    strings: list[str] = []
    starts = []
    for name in names:
        starts.append(len(strings))
        strings.extend(_spellings(name))
    return strings, np.asarray(starts, dtype=np.int64)


class _Candidates:
    """The candidates' spellings, consonant keys and learned vectors, each made once per call."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.strings, self.starts = _expand(names)
        self._consonants: list[str] | None = None
        self._vectors: dict[str, np.ndarray] = {}
        self._latin: np.ndarray | None = None

    def latin(self) -> np.ndarray:
        """Which candidates are in Latin script (only asked when a query has a learned model)."""
        if self._latin is None:
            self._latin = np.asarray([detect_script(n) == "Latn" for n in self.names])
        return self._latin

    def consonants(self) -> list[str]:
        if self._consonants is None:
            self._consonants = [_consonants(c) for c in self.names]
        return self._consonants

    def vectors(self, model: learned.Model, script: str) -> np.ndarray:
        if script not in self._vectors:
            self._vectors[script] = model.embed_latins(self.names)
        return self._vectors[script]


def _block_rule_scores(block: list[str], cands: _Candidates) -> np.ndarray:
    q_strings, q_starts = _expand(block)
    matrix = process.cdist(
        q_strings,
        cands.strings,
        scorer=JaroWinkler.normalized_similarity,
        dtype=np.float32,
        workers=-1,
    )
    # best spelling pair: max over each candidate's columns, then over each query's rows
    per_candidate = np.maximum.reduceat(matrix, cands.starts, axis=1)
    scores = np.maximum.reduceat(per_candidate, q_starts, axis=0)
    if any(detect_script(q) == "Arab" for q in block):
        _blend_arabic(scores, block, cands.consonants())
    return scores


def _blend_learned(scores: np.ndarray, block: list[str], cands: _Candidates) -> None:
    """Mix the learned similarity into the rows of native-script queries, for Latin candidates."""
    scripts = np.asarray([detect_script(q) for q in block])
    for script in sorted(set(scripts) & set(learned.SCRIPTS)):
        model = learned.model(script)
        if model is None or not cands.latin().any():
            continue
        rows, cols = np.flatnonzero(scripts == script), np.flatnonzero(cands.latin())
        natives = model.embed_natives([block[i] for i in rows])
        sim = np.clip(natives @ cands.vectors(model, script)[cols].T, 0.0, 1.0)
        cell = np.ix_(rows, cols)
        scores[cell] = (1 - model.weight) * scores[cell] + model.weight * sim


def _rule_scores(queries: list[str], candidates: list[str]) -> np.ndarray:
    """The full query x candidate matrix of the rule-based score alone (used in training)."""
    cands = _Candidates(candidates)
    blocks = [queries[i : i + _BLOCK] for i in range(0, len(queries), _BLOCK)]
    return np.vstack([_block_rule_scores(b, cands) for b in blocks])


def best_matches(
    queries: list[str], candidates: list[str], k: int = 5
) -> list[list[tuple[int, float]]]:
    """Return, for each query, the indices and scores of its ``k`` best candidates, best first.

    Every spelling of a query is compared with every spelling of a candidate (Jaro-Winkler on
    phonetic skeletons, with rapidfuzz's ``cdist`` on all cores) and the best pairing counts,
    so the ranking is script-independent and word-order-independent. For a query in Arabic
    script, which writes few vowels, 70 % of the score compares the names' consonant keys.
    For a Cyrillic or Arabic query against a Latin candidate, part of the score is a
    similarity learned from Wikidata name pairs (``tipnet.linkage.learned``).

    Args:
        queries: names in any script.
        candidates: names in any script.
        k: how many candidates to return per query (fewer if there are fewer candidates).

    Returns:
        One list per query of ``(candidate_index, score)`` with scores in [0, 1].

    Examples:
        >>> best_matches(["Shuhrat Yusupov"], ["Gulnora Karimova", "Shukhrat Iusupov"], k=1)
        [[(1, 1.0)]]
        >>> ranked = best_matches(["Шухрат Юсупов"], ["Gulnora Karimova", "Shuhrat Yusupov"])
        >>> [i for i, _ in ranked[0]]
        [1, 0]
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    if not queries or not candidates:
        return [[] for _ in queries]
    cands = _Candidates(candidates)
    k = min(k, len(candidates))
    results: list[list[tuple[int, float]]] = []
    for first in range(0, len(queries), _BLOCK):
        block = queries[first : first + _BLOCK]
        scores = _block_rule_scores(block, cands)
        _blend_learned(scores, block, cands)
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        for row, idx in zip(scores, top, strict=True):
            ranked = sorted(idx.tolist(), key=lambda j: (-row[j], j))
            results.append([(j, round(float(row[j]), 6)) for j in ranked])
    return results
