"""Reading and writing the CSV files of `tipnet link` and `tipnet link evaluate`.

Both commands read the same inputs; this module sits below both so that neither imports the
other.
"""

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

# Large enough for any real record; csv's default (128 KiB) is kept as the per-field limit so
# that a corrupt or hostile file fails with a clear message instead of exhausting memory.
MAX_RECORDS = 50_000_000


class UsageError(Exception):
    """A problem with the command line or the input files, reported without a traceback."""


def read_csv(path: str) -> tuple[list[str], list[dict[str, str]]]:
    """Read a UTF-8 CSV file with a header row; raise UsageError with the reason if it cannot."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            rows = []
            for row in tqdm(reader, desc=f"read {Path(path).name}", unit=" rows", file=sys.stderr):
                rows.append(row)
                if len(rows) > MAX_RECORDS:
                    raise UsageError(f"{path}: more than {MAX_RECORDS:,} records.")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text.") from None
    except csv.Error as error:
        raise UsageError(f"{path} is not valid CSV: {error}.") from None
    if not columns:
        raise UsageError(f"{path} is empty (no header row).")
    if not rows:
        raise UsageError(f"{path} has a header but no records.")
    return columns, rows


def write_csv(path: str, header: list[str], rows: Iterator[tuple[object, ...]], desc: str) -> int:
    count = 0
    try:
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in tqdm(rows, desc=desc, unit=" rows", file=sys.stderr):
                writer.writerow(row)
                count += 1
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}.") from None
    return count
