"""`tipnet link`: link two CSV files or de-duplicate one, and `tipnet link evaluate`.

Runs without Django (no database is needed), so tipnet.cli dispatches here before setup.
"""

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from tipnet.linkage.backends import BACKENDS, LEFT
from tipnet.linkage.csvio import UsageError, read_csv, write_csv
from tipnet.linkage.engine import LinkResult
from tipnet.linkage.features import ROLES, Row

USAGE = """tipnet link LEFT.csv [RIGHT.csv] --id COLUMN --field ROLE=COLUMN [--field ...]
                   --out PAIRS.csv [--clusters CLUSTERS.csv] [--threshold P]
                   [--backend duckdb|spark] [--save-model MODEL.json | --model MODEL.json]
       tipnet link explain LEFT_ID RIGHT_ID LEFT.csv [RIGHT.csv] --id COLUMN
                   --field ROLE=COLUMN [--field ...] [--model MODEL.json]
       tipnet link evaluate --pairs PAIRS.csv [--clusters CLUSTERS.csv]
                   --truth COLUMN --id COLUMN LEFT.csv [RIGHT.csv] [--threshold P]"""
ROLE_HELP = "ROLE is one of: " + ", ".join(ROLES) + ". A role may name several columns."


def parse_fields(specs: list[str], columns: list[str]) -> dict[str, list[str]]:
    """Turn ["given_name=first", ...] into {role: [columns]}, checking roles and columns."""
    fields: dict[str, list[str]] = {}
    for spec in specs:
        role, sep, column = spec.partition("=")
        role, column = role.strip(), column.strip()
        if not sep or not role or not column:
            raise UsageError(f"--field {spec!r}: expected ROLE=COLUMN, e.g. surname=last_name.")
        if role not in ROLES:
            raise UsageError(f"--field {spec!r}: unknown role {role!r}. {ROLE_HELP}")
        if column not in columns:
            raise UsageError(f"--field {spec!r}: no column {column!r} in the input.")
        fields.setdefault(role, []).append(column)
    if not fields:
        raise UsageError(f"at least one --field ROLE=COLUMN is needed. {ROLE_HELP}")
    return fields


def check_ids(path: str, rows: list[dict[str, str]], id_column: str) -> None:
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        uid = (row.get(id_column) or "").strip()
        if not uid:
            raise UsageError(f"{path} line {number}: the id column {id_column!r} is empty.")
        if uid in seen:
            raise UsageError(f"{path} line {number}: the id {uid!r} appears twice.")
        seen.add(uid)


def load(path: str, id_column: str, field_specs: list[str]) -> tuple[set[str], list[Row]]:
    """Read, check and normalise one input file; return its roles and model rows."""
    from tipnet.linkage.features import prepare_record

    columns, rows = read_csv(path)
    if id_column not in columns:
        raise UsageError(f"--id {id_column!r}: no such column in {path}.")
    fields = parse_fields(field_specs, columns)
    check_ids(path, rows, id_column)
    prepared = [
        prepare_record(row, fields, row[id_column].strip())
        for row in tqdm(rows, desc=f"normalise {Path(path).name}", unit=" rows", file=sys.stderr)
    ]
    return set(fields), prepared


def link_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tipnet link",
        usage=USAGE,
        description="Link two CSV files of person records, or de-duplicate one, with a "
        "probabilistic model trained on the data itself. " + ROLE_HELP,
    )
    parser.add_argument("inputs", nargs="+", metavar="FILE.csv")
    parser.add_argument("--id", required=True, dest="id_column", help="the record id column")
    parser.add_argument("--field", action="append", default=[], metavar="ROLE=COLUMN")
    parser.add_argument(
        "--out", required=True, help="PAIRS.csv: left_id,right_id,match_probability"
    )
    parser.add_argument("--clusters", help="CLUSTERS.csv: id,cluster_id (and dataset when linking)")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        metavar="P",
        help="keep pairs at or above this match probability (default: chosen by the model, "
        "the lowest at which it estimates a precision of 0.99)",
    )
    parser.add_argument("--backend", choices=BACKENDS, default="duckdb")
    parser.add_argument("--verbose", action="store_true", help="show the model's training log")
    models = parser.add_mutually_exclusive_group()
    models.add_argument("--save-model", metavar="MODEL.json", help="write the trained model")
    models.add_argument(
        "--model", metavar="MODEL.json", help="score with this model instead of training one"
    )
    return parser


def _load_inputs(options: argparse.Namespace) -> tuple[set[str], list[list[Row]]]:
    if len(options.inputs) > 2:
        raise UsageError("give one file to de-duplicate or two files to link.")
    if options.threshold is not None and not 0.0 < options.threshold <= 1.0:
        raise UsageError("--threshold must be a probability in (0, 1].")
    loaded = [load(path, options.id_column, options.field) for path in options.inputs]
    return set.union(*(r for r, _ in loaded)), [rows for _, rows in loaded]


def _read_model(options: argparse.Namespace, roles: set[str]) -> dict[str, Any] | None:
    if not options.model:
        return None
    from tipnet.linkage.model import ModelError
    from tipnet.linkage.model import load as load_model

    try:
        trained: dict[str, Any] = load_model(options.model, roles)["splink"]
    except ModelError as error:
        raise UsageError(str(error)) from None
    return trained


def run_link(options: argparse.Namespace) -> int:
    roles, tables = _load_inputs(options)
    model = _read_model(options, roles)
    from tipnet.linkage.engine import link

    stages = tqdm(desc="link", file=sys.stderr, unit=" stages")

    def progress(stage: str, total: int) -> None:
        stages.total = total
        stages.set_description(stage)
        stages.update(1)

    with link(
        tables,
        roles,
        threshold=options.threshold,
        backend=options.backend,
        cluster=bool(options.clusters),
        progress=progress,
        verbose=options.verbose,
        model=model,
    ) as result:
        stages.close()
        if result.estimate is not None:
            e = result.estimate
            print(
                f"threshold {e.threshold:.4f} chosen by the model: estimated precision "
                f"{e.precision:.4f}, recall {e.recall:.4f} of the pairs it scored "
                "(--threshold overrides)",
                file=sys.stderr,
            )
        write_outputs(result, options)
        if options.save_model:
            from tipnet.linkage.model import save

            estimate = vars(result.estimate) if result.estimate else None
            save(
                options.save_model,
                result.model,
                roles,
                sum(map(len, tables)),
                result.threshold,
                estimate,
            )
            print(f"model written to {options.save_model}", file=sys.stderr)
    return 0


def explain_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tipnet link explain",
        usage=USAGE,
        description="Show how the model scores one pair of records: each comparison's level "
        "and match weight (log2 of m/u), the running total and the match probability.",
    )
    parser.add_argument("left_id", metavar="LEFT_ID")
    parser.add_argument("right_id", metavar="RIGHT_ID")
    parser.add_argument("inputs", nargs="+", metavar="FILE.csv")
    parser.add_argument("--id", required=True, dest="id_column", help="the record id column")
    parser.add_argument("--field", action="append", default=[], metavar="ROLE=COLUMN")
    parser.add_argument("--model", metavar="MODEL.json", help="default: train one on the files")
    parser.set_defaults(threshold=None)
    return parser


def run_explain(options: argparse.Namespace) -> int:
    roles, tables = _load_inputs(options)
    model = _read_model(options, roles)
    from tipnet.linkage.engine import explain, link
    from tipnet.linkage.model import format_waterfall

    for table, uid in ((tables[0], options.left_id), (tables[-1], options.right_id)):
        if not any(row["unique_id"] == uid for row in table):
            raise UsageError(
                f"no record with the id {uid!r} in {options.inputs[tables.index(table)]}."
            )
    if model is None:
        with link(tables, roles, cluster=False) as result:
            model = result.model
    steps, probability = explain(tables, roles, model, options.left_id, options.right_id)
    print(format_waterfall(steps, probability))
    return 0


def write_outputs(result: LinkResult, options: argparse.Namespace) -> None:
    header = ["left_id", "right_id", "match_probability"]
    count = write_csv(options.out, header, result.pairs(), "write pairs")
    print(f"{count} pairs at p >= {result.threshold:.4f} written to {options.out}", file=sys.stderr)
    if options.clusters:
        is_link = result.is_link
        header = ["id", "cluster_id", "dataset"] if is_link else ["id", "cluster_id"]
        rows = (
            (uid, cid, "left" if ds == LEFT else "right") if is_link else (uid, cid)
            for ds, uid, cid in result.cluster_rows()
        )
        write_csv(options.clusters, header, rows, "write clusters")


def main(argv: list[str]) -> int:
    """Entry point of `tipnet link`; returns the exit status (2 for a usage or input error)."""
    if argv and argv[0] == "evaluate":
        from tipnet.linkage.evaluate import main as evaluate

        return evaluate(argv[1:])
    if argv and argv[0] == "explain":
        options = explain_parser().parse_args(argv[1:])
        options.verbose = False
        command = run_explain
    else:
        options = link_parser().parse_args(argv)
        command = run_link
    logging.basicConfig(level=logging.INFO if options.verbose else logging.WARNING)
    try:
        return command(options)
    except (UsageError, ValueError, RuntimeError) as error:
        print(f"tipnet link: error: {error}", file=sys.stderr)
        return 2
