"""Probabilistic linkage of person records with Splink (Fellegi-Sunter, EM-trained).

The only module of tipnet that imports Splink. Records are first normalised by
``tipnet.linkage.features`` (spellings, keys, identifiers); the model then blocks on shared
name keys, dates of birth and identifiers, compares names by the best pair of spellings, adjusts
for how common a name is, trains itself without labels, scores pairs and joins them into
persons by connected components (bounded memory, unlike one-to-one clustering).
"""

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from tipnet.linkage.backends import LEFT, RIGHT, Backend, make_backend

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.9
# Sampled pairs for the u probabilities: enough for stable estimates on 10^4-10^6 records
# while keeping training within seconds on two cores.
U_PAIRS = 2_000_000
EM_PAIRS = 1_000_000
# Up to this many records, two shared name keys alone make a candidate pair (catches records
# whose dates of birth disagree); above it, names must agree with a date or postcode too.
LOOSE_BLOCKING_MAX = 200_000


@dataclass
class LinkResult:
    """What a linkage run produced; pairs and clusters are read lazily from the backend."""

    backend: Backend
    predictions: object
    clusters: object | None
    is_link: bool
    stages: dict[str, float] = field(default_factory=dict)

    def pairs(self) -> Iterator[tuple[str, str, float]]:
        """Yield (left_id, right_id, match_probability), left from the first file."""
        return self.backend.pairs(self.predictions, self.is_link)

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


def _name_comparison(column: str, skels: str, label: str, reversed_level: bool):
    levels = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column, term_frequency_adjustments=True),
    ]
    if reversed_level:
        levels.append(cll.ColumnsReversedLevel("given0", "surname0"))
    levels += [
        cll.ArrayIntersectLevel(skels, min_intersection=1),
        cll.PairwiseStringDistanceFunctionLevel(skels, "jaro_winkler", 0.92),
        cll.PairwiseStringDistanceFunctionLevel(skels, "jaro_winkler", 0.8),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(
        comparison_levels=levels,
        output_column_name=label,
        comparison_description=f"{label}: best pair of spellings",
    )


def comparisons(roles: set[str]) -> list:
    """Return the Splink comparisons for the roles a file provides."""
    out = []
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
                comparison_levels=[
                    cll.NullLevel("dob"),
                    cll.ExactMatchLevel("dob"),
                    cll.LevenshteinLevel("dob", 1),
                    cll.ExactMatchLevel("dob_year"),
                    cll.ElseLevel(),
                ],
                output_column_name="date_of_birth",
                comparison_description="date of birth: exact, one typo, same year",
            )
        )
    if "sex" in roles:
        out.append(cl.ExactMatch("sex"))
    for role in ("place", "address"):
        if role in roles:
            out.append(cl.JaroWinklerAtThresholds(role, [0.9, 0.7]))
    if "postcode" in roles:
        out.append(
            cl.LevenshteinAtThresholds("postcode", [1]).configure(term_frequency_adjustments=True)
        )
    if "phone" in roles:
        out.append(cl.ExactMatch("phone"))
    if "document" in roles:
        out.append(cl.LevenshteinAtThresholds("document", [1, 2]))
    if "email" in roles:
        out.append(cl.ExactMatch("email"))
    return out


def blocking_rules(roles: set[str], n_records: int = 0) -> list:
    """Return the prediction blocking rules: any one shared key makes a candidate pair.

    Names alone are too common to block on at scale (one name pair may be shared by thousands
    of records), so above ``LOOSE_BLOCKING_MAX`` records name keys are always combined with a
    birth year, a date or a postcode, unless the file has nothing else.
    """
    has_name = bool(NAME_ROLES_FOR_BLOCKING & roles)
    has_dob = "date_of_birth" in roles
    rules = []
    if has_name and has_dob:
        rules.append(block_on("name_pairs", "dob_year", arrays_to_explode=["name_pairs"]))
        rules.append(block_on("name_keys", "dob", arrays_to_explode=["name_keys"]))
    if has_dob:
        rules.append(block_on("dob"))
    if has_name and "postcode" in roles:
        rules.append(block_on("name_keys", "postcode", arrays_to_explode=["name_keys"]))
    if has_name and (not has_dob or n_records <= LOOSE_BLOCKING_MAX):
        rules.append(block_on("name_pairs", arrays_to_explode=["name_pairs"]))
    for role in ("phone", "document", "email"):
        if role in roles:
            rules.append(block_on(role))
    return rules


NAME_ROLES_FOR_BLOCKING = frozenset({"given_name", "surname", "full_name"})


def _training_rules(roles: set[str]) -> tuple[list, list]:
    """Deterministic rules for the prior, and EM sessions that each leave some fields free."""
    has_name = bool(NAME_ROLES_FOR_BLOCKING & roles)
    deterministic = []
    if has_name and "date_of_birth" in roles:
        deterministic.append(block_on("name0", "dob"))
    for role in ("document", "phone", "email"):
        if role in roles:
            deterministic.append(block_on(role))
    if not deterministic and has_name:
        deterministic.append(block_on("name0"))
    sessions = []
    if has_name:
        sessions.append(block_on("name0"))
    for role in ("date_of_birth", "postcode", "document", "phone"):
        if role in roles:
            sessions.append(block_on("dob" if role == "date_of_birth" else role))
    return deterministic, sessions


def link(
    tables: Sequence[list[dict]],
    roles: set[str],
    threshold: float = DEFAULT_THRESHOLD,
    backend: str = "duckdb",
    cluster: bool = True,
    progress: Callable[[str, int], None] = lambda stage, total: None,
    verbose: bool = False,
) -> LinkResult:
    """Link two tables or de-duplicate one, with a model trained on the data itself.

    Args:
        tables: one or two lists of rows from ``features.prepare_record``.
        roles: the roles the input provides (decides the comparisons and blocking rules).
        threshold: the match probability at or above which a pair is kept and clustered.
        backend: "duckdb" (default) or "spark".
        cluster: also compute clusters (connected components at ``threshold``).
        progress: called with the name of each stage as it starts and the number of stages.
        verbose: let Splink log its training and SQL progress to stderr.

    Returns:
        A LinkResult whose ``pairs()`` and ``cluster_rows()`` stream the output.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError("The threshold must be a probability in (0, 1].")
    is_link = len(tables) == 2
    engine = make_backend(backend)
    frames = [
        engine.register(rows, name) for rows, name in zip(tables, (LEFT, RIGHT), strict=False)
    ]
    settings = SettingsCreator(
        link_type="link_only" if is_link else "dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(roles),
        blocking_rules_to_generate_predictions=blocking_rules(roles, sum(map(len, tables))),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(frames, settings, log_level=logging.INFO if verbose else logging.ERROR)
    deterministic, sessions = _training_rules(roles)
    total = 3 + len(sessions) + int(cluster)
    progress("estimate the prior", total)
    try:
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    except Exception as error:  # a default prior still gives a usable model
        logger.warning("prior not estimated, default kept: %s", error)
    progress("estimate u from random pairs", total)
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=1)
    for rule in sessions:
        progress("train m by expectation maximisation", total)
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=EM_PAIRS
            )
        except Exception as error:  # other sessions may still train these fields
            logger.warning("EM session skipped: %s", error)
    progress("score candidate pairs", total)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clusters = None
    if cluster:
        progress("cluster into persons", total)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
    return LinkResult(engine, predictions, clusters, is_link)
