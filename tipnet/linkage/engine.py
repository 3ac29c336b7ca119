"""Probabilistic linkage of person records with Splink (Fellegi-Sunter, EM-trained).

The only module of tipnet that imports Splink. Records are first normalised by
``tipnet.linkage.features`` (spellings, keys, identifiers); the model then blocks on shared
name keys, dates of birth and identifiers, compares names by the best pair of spellings, adjusts
for how common a name is, trains itself without labels, scores pairs and joins them into
persons by connected components of each record's best pair and every strong one (bounded
memory, unlike one-to-one clustering).
"""

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

from tipnet.linkage.backends import LEFT, RIGHT, Backend, make_backend
from tipnet.linkage.features import Row, learned_spellings

if TYPE_CHECKING:
    import numpy as np

    # Splink's public modules do not export the types of its tables, comparisons and rules
    # (see backends.py).
    from splink.internals.blocking_rule_creator import BlockingRuleCreator
    from splink.internals.comparison_creator import ComparisonCreator
    from splink.internals.comparison_level_creator import ComparisonLevelCreator
    from splink.internals.splink_dataframe import SplinkDataFrame

    from tipnet.linkage.model import Step

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.9
# Without a threshold from the user, pairs are scored down to this probability and the
# threshold is chosen among them from the model's own estimates (``choose_threshold``).
SCORE_FLOOR = 0.05
# Pairs at or above this probability always join their records into one person; a weaker
# pair only when it is the best pair of one of its records (``best_links``).
STRONG_LINK = 0.99
# The precision the chosen threshold aims at, and the lowest threshold it may choose.
TARGET_PRECISION = 0.99
MIN_THRESHOLD = 0.5
# Sampled pairs for the u probabilities: enough for stable estimates on 10^4-10^6 records
# while keeping training within seconds on two cores.
U_PAIRS = 2_000_000
EM_PAIRS = 1_000_000
# Up to this many records, two shared name keys alone make a candidate pair (catches records
# whose dates of birth disagree); above it, names must agree with a date or postcode too.
LOOSE_BLOCKING_MAX = 200_000
# Candidate pairs are scored in chunks of about this many left-hand records, so the table of
# blocked pairs of one chunk, not of the whole file, has to fit in memory.
CHUNK_RECORDS = 250_000


@dataclass
class LinkResult:
    """What a linkage run produced; pairs and clusters are read lazily from the backend."""

    backend: Backend
    predictions: "SplinkDataFrame"
    clusters: "SplinkDataFrame | None"
    is_link: bool
    model: dict[str, Any] = field(default_factory=dict)
    threshold: float = DEFAULT_THRESHOLD
    # the model's own estimates for the pairs at the threshold (None when the user chose it)
    estimate: "ThresholdEstimate | None" = None

    def pairs(self) -> Iterator[tuple[str, str, float]]:
        """Yield (left_id, right_id, match_probability) at or above the threshold, left from
        the first file."""
        return self.backend.pairs(self.predictions, self.is_link, self.threshold)

    def close(self) -> None:
        """Release the backend (its connection and spill directory)."""
        self.backend.close()

    def __enter__(self) -> "LinkResult":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def cluster_rows(self) -> Iterator[tuple[str, str, str]]:
        """Yield (dataset, id, cluster_id) for every record."""
        if self.clusters is None:
            return iter(())
        return self.backend.clusters(self.clusters)


@dataclass(frozen=True)
class ThresholdEstimate:
    """What the model expects of the pairs at a threshold, from its own probabilities."""

    threshold: float
    precision: float
    recall: float
    f1: float
    pairs: int


def choose_threshold(probabilities: "np.ndarray") -> ThresholdEstimate:
    """Choose the lowest threshold at which the model expects ``TARGET_PRECISION``.

    A Fellegi-Sunter probability is the model's estimate that a pair is a match, so among the
    pairs at or above a threshold t the expected number of matches is the sum of their
    probabilities: estimated precision = that sum / the number of pairs, estimated recall = that
    sum / the sum over every scored pair (down to ``SCORE_FLOOR``). Persons are connected
    components of the kept pairs, where one wrong pair merges two persons, so the pairs must be
    very precise: the threshold is the lowest probability (not below ``MIN_THRESHOLD``) at
    which the estimated precision of the pairs kept is still at least ``TARGET_PRECISION``.
    No labels are used.
    """
    import numpy as np

    p = np.sort(np.asarray(probabilities, dtype=np.float64))[::-1]
    if p.size == 0:
        return ThresholdEstimate(DEFAULT_THRESHOLD, 0.0, 0.0, 0.0, 0)
    expected = np.cumsum(p)
    kept = np.arange(1, p.size + 1)
    # only the last of equal probabilities can be a threshold (equal ones are kept together)
    ok = (expected / kept >= TARGET_PRECISION) & (p >= MIN_THRESHOLD) & np.r_[p[1:] != p[:-1], True]
    best = int(np.flatnonzero(ok)[-1]) if ok.any() else 0
    precision = float(expected[best] / kept[best])
    recall = float(expected[best] / expected[-1])
    return ThresholdEstimate(
        threshold=float(p[best]),
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall),
        pairs=int(kept[best]),
    )


def _name_comparison(
    column: str, skels: str, label: str, reversed_level: bool
) -> "ComparisonCreator":
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column, term_frequency_adjustments=True),
    ]
    if reversed_level:
        # this part written in the other field: given name against the other's surname, and
        # surname against the other's given name, so that one shared name is not credited
        # twice, once in each comparison (Sharipova Sitora / Manizha Sharipova)
        other = "surname0" if column == "given0" else "given0"
        levels.append(cll.ColumnsReversedLevel(column, other))
    levels += [
        cll.ArrayIntersectLevel(skels, min_intersection=1),
        cll.PairwiseStringDistanceFunctionLevel(skels, "jaro_winkler", 0.92),
        # an initial or a shortened name ("B." / "Bakhtiyor", "Rus" / "Rustam"): registers
        # often hold only these, and they must not fall to the bottom level
        cll.CustomLevel(
            f"(substr({column}_r, 1, length({column}_l)) = {column}_l"
            f" OR substr({column}_l, 1, length({column}_r)) = {column}_r)",
            label_for_charts="initial or shortened form",
        ),
        cll.PairwiseStringDistanceFunctionLevel(skels, "jaro_winkler", 0.8),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(
        comparison_levels=levels,
        output_column_name=label,
        comparison_description=f"{label}: best pair of spellings",
    )


_FULL = "length(dob_l) = 10 AND length(dob_r) = 10"


def _date_levels() -> "list[ComparisonLevelCreator | dict[str, Any]]":
    """Levels of the date of birth (ISO text, possibly only YYYY or YYYY-MM).

    Each kind of clerk's error gets its own level, so EM learns how often it happens among
    matches instead of sending every imperfect date to the bottom level with the true
    non-matches: day and month swapped, one typo, a partial date that agrees with a full one,
    the same day and month in another year, the same year and month, the same year.
    """
    return [
        cll.NullLevel("dob"),
        # two equal years are a partial agreement (below), not an exact date of birth
        cll.CustomLevel(f"{_FULL} AND dob_l = dob_r", label_for_charts="exact full date"),
        cll.CustomLevel(
            f"{_FULL} AND substr(dob_l, 1, 4) = substr(dob_r, 1, 4)"
            " AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
            " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
            label_for_charts="day and month swapped",
        ),
        cll.LevenshteinLevel("dob", 1),
        cll.CustomLevel(
            "(length(dob_l) < 10 OR length(dob_r) < 10)"
            " AND (substr(dob_r, 1, length(dob_l)) = dob_l"
            " OR substr(dob_l, 1, length(dob_r)) = dob_r)",
            label_for_charts="partial date that agrees",
        ),
        cll.CustomLevel(
            f"{_FULL} AND substr(dob_l, 6, 5) = substr(dob_r, 6, 5)",
            label_for_charts="same day and month, other year",
        ),
        cll.CustomLevel(
            "substr(dob_l, 1, 7) = substr(dob_r, 1, 7)", label_for_charts="same year and month"
        ),
        cll.ExactMatchLevel("dob_year"),
        cll.ElseLevel(),
    ]


def comparisons(roles: set[str]) -> "list[ComparisonCreator | dict[str, Any]]":
    """Return the Splink comparisons for the roles a file provides."""
    out: list[ComparisonCreator | dict[str, Any]] = []
    if {"given_name", "surname"} & roles:
        out.append(_name_comparison("given0", "given_skels", "given_name", True))
        out.append(_name_comparison("surname0", "surname_skels", "surname", True))
    elif "full_name" in roles:
        out.append(_name_comparison("name0", "name_skels", "full_name", False))
    if "patronymic" in roles:
        out.append(cl.JaroWinklerAtThresholds("patronymic0", [0.92, 0.8]))
    if "date_of_birth" in roles:
        out.append(
            cl.CustomComparison(
                comparison_levels=_date_levels(),
                output_column_name="date_of_birth",
                comparison_description="date of birth: exact, day and month swapped, one "
                "typo, partial, same day and month, same month, same year",
            )
        )
    if "sex" in roles:
        out.append(cl.ExactMatch("sex"))
    for role in ("place", "address"):
        if role in roles:
            out.append(cl.JaroWinklerAtThresholds(role, [0.9, 0.7]))
    if "postcode" in roles:
        out.append(
            cl.CustomComparison(
                comparison_levels=[
                    cll.NullLevel("postcode"),
                    cll.ExactMatchLevel("postcode", term_frequency_adjustments=True),
                    cll.LevenshteinLevel("postcode", 1),
                    # the district part alone, or the same district with a typo further on
                    cll.CustomLevel(
                        "substr(postcode_l, 1, 3) = substr(postcode_r, 1, 3)",
                        label_for_charts="same first three characters",
                    ),
                    cll.ElseLevel(),
                ],
                output_column_name="postcode",
                comparison_description="postcode: exact, one typo, same district",
            )
        )
    if "phone" in roles:
        out.append(cl.ExactMatch("phone"))
    if "document" in roles:
        out.append(cl.LevenshteinAtThresholds("document", [1, 2]))
    if "email" in roles:
        out.append(cl.ExactMatch("email"))
    return out


def blocking_rules(
    roles: set[str], n_records: int = 0
) -> "list[BlockingRuleCreator | dict[str, Any]]":
    """Return the prediction blocking rules: any one shared key makes a candidate pair.

    Names alone are too common to block on at scale (one name pair may be shared by thousands
    of records), so above ``LOOSE_BLOCKING_MAX`` records name keys are always combined with a
    full date, two name keys with the birth year, or one with the postcode district, unless
    the file has nothing else. Up to it, also one name key with the birth year and two name
    keys alone.
    """
    has_name = bool(NAME_ROLES_FOR_BLOCKING & roles)
    has_dob = "date_of_birth" in roles
    rules: list[BlockingRuleCreator | dict[str, Any]] = []
    if has_name and has_dob:
        rules.append(block_on("name_pairs", "dob_year", arrays_to_explode=["name_pairs"]))
        rules.append(block_on("name_keys", "dob", arrays_to_explode=["name_keys"]))
    if has_dob:
        # only full dates: a year alone ("1985") is shared by too many records to block on
        rules.append(CustomRule("l.dob = r.dob AND length(l.dob) = 10"))
    if has_name and "postcode" in roles:
        # the district part, so a typo in the rest of the postcode still finds the pair
        rules.append(
            block_on("name_keys", "substr(postcode, 1, 3)", arrays_to_explode=["name_keys"])
        )
    loose = n_records <= LOOSE_BLOCKING_MAX
    if has_name and has_dob and loose:
        # one name key and the birth year: a record with an initial, a nickname or one
        # missing name part shares only its surname key with the others
        rules.append(block_on("name_keys", "dob_year", arrays_to_explode=["name_keys"]))
    if has_name and (not has_dob or loose):
        rules.append(block_on("name_pairs", arrays_to_explode=["name_pairs"]))
    for role in ("phone", "document", "email"):
        if role in roles:
            rules.append(block_on(role))
    return rules


NAME_ROLES_FOR_BLOCKING = frozenset({"given_name", "surname", "full_name"})


def _training_rules(
    roles: set[str],
) -> "tuple[list[str | BlockingRuleCreator], list[BlockingRuleCreator]]":
    """Deterministic rules for the prior, and EM sessions that each leave some fields free."""
    has_name = bool(NAME_ROLES_FOR_BLOCKING & roles)
    deterministic: list[str | BlockingRuleCreator] = []
    if has_name and "date_of_birth" in roles:
        deterministic.append(block_on("name0", "dob"))
    for role in ("document", "phone", "email"):
        if role in roles:
            deterministic.append(block_on(role))
    if not deterministic and has_name:
        deterministic.append(block_on("name0"))
    sessions: list[BlockingRuleCreator] = []
    others = [r for r in ("postcode", "document", "phone") if r in roles]
    if has_name and (not others or "date_of_birth" not in roles):
        sessions.append(block_on("name0"))
    for role in ("date_of_birth", *others):
        if role in roles:
            sessions.append(block_on("dob" if role == "date_of_birth" else role))
    return deterministic, sessions


def _train(linker: Linker, roles: set[str], progress: Callable[[str], None], u_chunks: int) -> None:
    """Train the model without labels: the prior, u from random pairs, m by EM sessions."""
    deterministic, sessions = _training_rules(roles)
    progress("estimate the prior")
    try:
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    except Exception as error:  # a default prior still gives a usable model
        logger.warning("prior not estimated, default kept: %s", error)
    progress("estimate u from random pairs")
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=1, num_chunks=u_chunks)
    for rule in sessions:
        progress("train m by expectation maximisation")
        # Splink removes the comparisons a session blocks on from the model while the session
        # runs and puts them back at its end; a session that fails would leave them removed
        # (and the prior replaced), so the model is restored from a copy.
        saved = linker._settings_obj.core_model_settings.copy()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=EM_PAIRS
            )
        except Exception as error:  # other sessions may still train these fields
            linker._settings_obj.core_model_settings = saved
            logger.warning("EM session skipped: %s", error)


def _settings(
    tables: Sequence[list[Row]], roles: set[str], model: dict[str, Any] | None, dialect: str
) -> SettingsCreator | dict[str, Any]:
    creator = SettingsCreator(
        link_type="link_only" if len(tables) == 2 else "dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(roles),
        blocking_rules_to_generate_predictions=blocking_rules(roles, sum(map(len, tables))),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    if model is None:
        return creator
    # A saved model's SQL is in the dialect it was trained on, so the comparisons are built
    # again for this backend and only the trained parameters are carried over.
    settings = creator.create_settings_dict(dialect)
    _copy_parameters(model, settings)
    return settings


def _copy_parameters(model: dict[str, Any], settings: dict[str, Any]) -> None:
    """Copy the prior and every level's m and u from a trained model into fresh settings."""
    if settings["link_type"] != model.get("link_type"):
        raise ValueError("The model was trained for a different number of files.")
    mine, theirs = settings["comparisons"], model.get("comparisons", [])
    names = [c["output_column_name"] for c in mine]
    if names != [c.get("output_column_name") for c in theirs]:
        raise ValueError("The model was trained on other fields: " + ", ".join(names))
    settings["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    for comparison, trained in zip(mine, theirs, strict=True):
        for level, values in zip(
            comparison["comparison_levels"], trained["comparison_levels"], strict=True
        ):
            for key in ("m_probability", "u_probability"):
                if key in values:
                    level[key] = values[key]


def best_links(
    engine: Backend, predictions: "SplinkDataFrame", threshold: float, is_link: bool
) -> "SplinkDataFrame":
    """The pairs that join records into persons: each record's best pair, and every strong one.

    Connected components of every pair at the threshold chain records through their weakest
    pairs: where many people share a name and a year of birth, a record that gives only those
    joins two persons, and a few such pairs merge dozens of people into one (at 100,000
    synthetic records, 7 % wrong pairs made 38 % of the clustered pairs wrong, in clusters of up
    to 50 records of 18 people). So a pair below ``STRONG_LINK`` joins its two records only if
    it is the best pair (highest probability, ties broken by id) of one of them: a record
    joins the person it most likely is, not every person it might be. Pairs at or above
    ``STRONG_LINK`` always join.
    """
    table = predictions.physical_name
    src_l, src_r = ("source_dataset_l", "source_dataset_r") if is_link else ("''", "''")
    sql = f"""
    WITH kept AS (
        SELECT * FROM {table} WHERE match_probability >= {float(threshold)!r}
    ), ends AS (
        SELECT {src_l} AS s, unique_id_l AS id, {src_r} AS os, unique_id_r AS other,
            match_probability AS p FROM kept
        UNION ALL
        SELECT {src_r} AS s, unique_id_r AS id, {src_l} AS os, unique_id_l AS other,
            match_probability AS p FROM kept
    ), ranked AS (
        SELECT s, id, os, other,
            ROW_NUMBER() OVER (PARTITION BY s, id ORDER BY p DESC, os, other) AS rn
        FROM ends
    ), best AS (
        SELECT s AS s1, id AS id1, os AS s2, other AS id2 FROM ranked WHERE rn = 1
        UNION
        SELECT os AS s1, other AS id1, s AS s2, id AS id2 FROM ranked WHERE rn = 1
    )
    SELECT kept.* FROM kept LEFT JOIN best
        ON best.s1 = {src_l.replace("source", "kept.source")} AND best.id1 = kept.unique_id_l
        AND best.s2 = {src_r.replace("source", "kept.source")} AND best.id2 = kept.unique_id_r
    WHERE kept.match_probability >= {STRONG_LINK!r} OR best.id1 IS NOT NULL
    """  # noqa: S608 - table names and numbers of our own, no user input
    return engine.api.query_sql(sql)


def link(
    tables: Sequence[list[Row]],
    roles: set[str],
    threshold: float | None = None,
    backend: str = "duckdb",
    cluster: bool = True,
    progress: Callable[[str, int], None] = lambda stage, total: None,
    verbose: bool = False,
    model: dict[str, Any] | None = None,
) -> LinkResult:
    """Link two tables or de-duplicate one, with a model trained on the data itself.

    Args:
        tables: one or two lists of rows from ``features.prepare_record``.
        roles: the roles the input provides (decides the comparisons and blocking rules).
        threshold: the match probability at or above which a pair is kept and clustered;
            None (the default) lets the model choose it (``choose_threshold``).
        backend: "duckdb" (default) or "spark".
        cluster: also compute clusters (connected components at ``threshold``).
        progress: called with the name of each stage as it starts and the number of stages.
        verbose: let Splink log its training and SQL progress to stderr.
        model: a trained model (``LinkResult.model`` of an earlier run, on any backend) to
            score with instead of training a new one.

    Returns:
        A LinkResult whose ``pairs()`` and ``cluster_rows()`` stream the output and whose
        ``model`` is the trained model.
    """
    if threshold is not None and not 0.0 < threshold <= 1.0:
        raise ValueError("The threshold must be a probability in (0, 1].")
    is_link = len(tables) == 2
    if NAME_ROLES_FOR_BLOCKING & roles:
        learned_spellings(tables)
    engine = make_backend(backend)
    frames = [
        engine.register(rows, name) for rows, name in zip(tables, (LEFT, RIGHT), strict=False)
    ]
    try:
        settings = _settings(tables, roles, model, engine.api.sql_dialect.sql_dialect_str)
    except ValueError:
        engine.close()
        raise
    linker = Linker(frames, settings, log_level=logging.INFO if verbose else logging.ERROR)
    total = (0 if model else 2 + len(_training_rules(roles)[1])) + 1 + int(cluster)
    if model is None:
        _train(linker, roles, lambda stage: progress(stage, total), engine.u_chunks)
    progress("score candidate pairs", total)
    chunks = max(1, -(-len(tables[0]) // CHUNK_RECORDS))
    predictions = linker.inference.predict(
        threshold_match_probability=SCORE_FLOOR if threshold is None else threshold,
        num_chunks_left=chunks,
        num_chunks_right=1,
    )
    estimate = None
    if threshold is None:
        estimate = choose_threshold(engine.probabilities(predictions))
        threshold = estimate.threshold
    clusters = None
    if cluster:
        progress("cluster into persons", total)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            best_links(engine, predictions, threshold, is_link),
            threshold_match_probability=threshold,
        )
    trained = linker.misc.save_model_to_json()
    return LinkResult(
        engine, predictions, clusters, is_link, trained, threshold=threshold, estimate=estimate
    )


def explain(
    tables: Sequence[list[Row]],
    roles: set[str],
    model: dict[str, Any],
    left_id: str,
    right_id: str,
    term_frequencies: bool = True,
) -> "tuple[list[Step], float]":
    """Explain how ``model`` scores one pair: the waterfall of match weights and the probability.

    ``left_id`` is looked up in the first table and ``right_id`` in the second (or the first,
    when de-duplicating); term frequencies come from the tables themselves, or are left out
    with ``term_frequencies=False`` (tables too small to say how common a value is). Raises
    KeyError for an id that is not there.
    """
    from tipnet.linkage.model import waterfall

    wanted = [(tables[0], left_id), (tables[-1], right_id)]
    records = []
    for rows, uid in wanted:
        found = next((row for row in rows if row["unique_id"] == uid), None)
        if found is None:
            raise KeyError(uid)
        records.append(found)
    engine = make_backend("duckdb")
    try:
        frames = [
            engine.register(rows, name) for rows, name in zip(tables, (LEFT, RIGHT), strict=False)
        ]
        settings = _settings(tables, roles, model, engine.api.sql_dialect.sql_dialect_str)
        assert isinstance(settings, dict)  # a model always gives a settings dict
        settings["retain_intermediate_calculation_columns"] = True
        if not term_frequencies:
            for comparison in settings["comparisons"]:
                for level in comparison["comparison_levels"]:
                    level.pop("tf_adjustment_column", None)
                    level.pop("tf_adjustment_weight", None)
        linker = Linker(frames, settings, log_level=logging.ERROR)
        scored = linker.inference.score_pair(records[0], records[1]).as_record_list()[0]
        return waterfall(settings, scored), float(scored["match_probability"])
    finally:
        engine.close()
