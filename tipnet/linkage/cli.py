"""`tipnet link`: link two CSV files or de-duplicate one, and `tipnet link evaluate`.

Runs without Django (no database is needed), so tipnet.cli dispatches here before setup.
"""

import argparse
import logging
import sys
from pathlib import Path

from tqdm import tqdm

from tipnet.linkage.backends import BACKENDS, LEFT
from tipnet.linkage.csvio import UsageError, read_csv, write_csv
from tipnet.linkage.engine import DEFAULT_THRESHOLD, LinkResult
from tipnet.linkage.features import ROLES, Row

USAGE = """tipnet link LEFT.csv [RIGHT.csv] --id COLUMN --field ROLE=COLUMN [--field ...]
                   --out PAIRS.csv [--clusters CLUSTERS.csv] [--threshold P]
                   [--backend duckdb|spark]
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
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, metavar="P")
    parser.add_argument("--backend", choices=BACKENDS, default="duckdb")
    parser.add_argument("--verbose", action="store_true", help="show the model's training log")
    return parser


def run_link(options: argparse.Namespace) -> int:
    if len(options.inputs) > 2:
        raise UsageError("give one file to de-duplicate or two files to link.")
    if not 0.0 < options.threshold <= 1.0:
        raise UsageError("--threshold must be a probability in (0, 1].")
    loaded = [load(path, options.id_column, options.field) for path in options.inputs]
    roles = set.union(*(r for r, _ in loaded))
    from tipnet.linkage.engine import link

    stages = tqdm(desc="link", file=sys.stderr, unit=" stages")

    def progress(stage: str, total: int) -> None:
        stages.total = total
        stages.set_description(stage)
        stages.update(1)

    with link(
        [rows for _, rows in loaded],
        roles,
        threshold=options.threshold,
        backend=options.backend,
        cluster=bool(options.clusters),
        progress=progress,
        verbose=options.verbose,
    ) as result:
        stages.close()
        write_outputs(result, options)
    return 0


def write_outputs(result: LinkResult, options: argparse.Namespace) -> None:
    header = ["left_id", "right_id", "match_probability"]
    count = write_csv(options.out, header, result.pairs(), "write pairs")
    print(f"{count} pairs at p >= {options.threshold} written to {options.out}", file=sys.stderr)
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
    parser = link_parser()
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if options.verbose else logging.WARNING)
    try:
        return run_link(options)
    except (UsageError, ValueError, RuntimeError) as error:
        print(f"tipnet link: error: {error}", file=sys.stderr)
        return 2
