"""One adapter per Splink backend: DuckDB in-process (default) and Spark (imported lazily)."""

import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from tipnet.linkage.features import COLUMNS, Row

if TYPE_CHECKING:
    # Splink's public modules name neither the base class of its database APIs nor its table
    # type, so they come from its internals, for the type checker only.
    import duckdb
    import numpy as np
    from splink.internals.database_api import DatabaseAPISubClass
    from splink.internals.splink_dataframe import SplinkDataFrame

BACKENDS = ("duckdb", "spark")
# Dataset names of the first and second file (not "left"/"right": those are SQL keywords).
LEFT, RIGHT = "file_1", "file_2"
_FETCH = 50_000


class Backend(Protocol):
    u_chunks: int

    @property
    def api(self) -> "DatabaseAPISubClass": ...

    def register(self, rows: list[Row], name: str) -> "SplinkDataFrame": ...

    def close(self) -> None: ...

    def pairs(
        self, predictions: "SplinkDataFrame", is_link: bool, threshold: float = 0.0
    ) -> Iterator[tuple[str, str, float]]: ...

    def probabilities(self, predictions: "SplinkDataFrame") -> "np.ndarray": ...

    def clusters(self, clusters: "SplinkDataFrame") -> Iterator[tuple[str, str, str]]: ...


def _remove(connection: "duckdb.DuckDBPyConnection", spill: str) -> None:
    connection.close()
    shutil.rmtree(spill, ignore_errors=True)


class DuckDBBackend:
    """Splink on an in-process DuckDB connection, spilling to a temporary directory."""

    # chunks of the u estimation: Splink stops early once every level has enough counts
    u_chunks = 10

    def __init__(self, memory_limit: str = "6GB", threads: int | None = None) -> None:
        import duckdb
        from splink import DuckDBAPI

        self.connection = duckdb.connect()
        spill = tempfile.mkdtemp(prefix="tipnet-link-")
        # removed on close(), or when the backend is garbage-collected
        self._cleanup = weakref.finalize(self, _remove, self.connection, spill)
        # DuckDB spills joins and sorts to disk past this limit instead of failing.
        self.connection.execute(f"SET memory_limit = '{memory_limit}'")
        self.connection.execute(f"SET temp_directory = '{spill}'")
        self.connection.execute("SET preserve_insertion_order = false")
        # Splink 5 writes array lambdas as `x -> ...`, which DuckDB 2 accepts only when asked.
        self.connection.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'")
        if threads:
            self.connection.execute(f"SET threads = {int(threads)}")
        self.api = DuckDBAPI(connection=self.connection)

    def close(self) -> None:
        self._cleanup()

    def register(self, rows: list[Row], name: str) -> "SplinkDataFrame":
        import pyarrow as pa

        schema = pa.schema(
            [
                (col, pa.list_(pa.string()) if kind == "list" else pa.string())
                for col, kind in COLUMNS.items()
            ]
        )
        table = pa.Table.from_pylist(rows, schema=schema)
        return self.api.register(table, dataset_display_name=name)

    def _stream(self, sql: str, params: list[str | float] | None = None) -> Iterator[Any]:
        result = self.connection.execute(sql, params or [])
        while batch := result.fetchmany(_FETCH):
            yield from batch

    # The table names below are Splink's own generated identifiers, never user input, and the
    # values are bound as parameters; hence the S608 exceptions.
    def pairs(
        self, predictions: "SplinkDataFrame", is_link: bool, threshold: float = 0.0
    ) -> Iterator[tuple[str, str, float]]:
        table = predictions.physical_name
        if not is_link:
            return self._stream(
                f"SELECT unique_id_l, unique_id_r, match_probability FROM {table}"  # noqa: S608
                " WHERE match_probability >= $1 ORDER BY match_probability DESC, 1, 2",
                [threshold],
            )
        sql = (
            "SELECT CASE WHEN source_dataset_l = $1 THEN unique_id_l ELSE unique_id_r END,"  # noqa: S608
            " CASE WHEN source_dataset_l = $1 THEN unique_id_r ELSE unique_id_l END,"
            f" match_probability FROM {table} WHERE match_probability >= $2"
            " ORDER BY match_probability DESC, 1, 2"
        )
        return self._stream(sql, [LEFT, threshold])

    def probabilities(self, predictions: "SplinkDataFrame") -> "np.ndarray":
        table = predictions.physical_name
        return self.connection.execute(
            f"SELECT match_probability FROM {table}"  # noqa: S608
        ).fetchnumpy()["match_probability"]

    def clusters(self, clusters: "SplinkDataFrame") -> Iterator[tuple[str, str, str]]:
        table = clusters.physical_name
        names = {c[0] for c in self.connection.execute(f"DESCRIBE {table}").fetchall()}
        source = "source_dataset" if "source_dataset" in names else "$1"
        return self._stream(
            f"SELECT {source}, unique_id, cluster_id FROM {table}"  # noqa: S608
            " ORDER BY 1, cluster_id, 2",
            [] if "source_dataset" in names else [LEFT],
        )


class SparkBackend:
    """Splink on a local Spark session (pyspark with the machine's Java); for large inputs."""

    # each chunk is a Spark job with seconds of overhead, so u is estimated in one pass
    u_chunks = 1

    def __init__(self) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise RuntimeError(
                "The Spark backend needs pyspark: install tipnet with the 'spark' extra."
            ) from None
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location

        cores = os.cpu_count() or 2
        scratch = tempfile.mkdtemp(prefix="tipnet-spark-")
        self.spark = (
            SparkSession.builder.master(f"local[{cores}]")
            .appName("tipnet-link")
            # Splink's Jaro-Winkler and other string functions are Scala UDFs in its own jar.
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", str(cores * 4))
            .config("spark.default.parallelism", str(cores * 4))
            .config("spark.ui.enabled", "false")
            # the default 1 GB heap runs out in Splink's iterative connected components
            .config("spark.driver.memory", "3g")
            .config("spark.sql.warehouse.dir", scratch)
            .config("spark.sql.ansi.enabled", "false")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")
        # Splink breaks the lineage of long query plans by writing parquet files here
        if self.spark.sparkContext.getCheckpointDir() is None:
            self.spark.sparkContext.setCheckpointDir(scratch)
        self.api = SparkAPI(spark_session=self.spark, break_lineage_method="parquet")

    def close(self) -> None:
        """Keep the Spark session: starting one takes seconds and it is shared in-process."""
        self.spark.catalog.clearCache()

    def register(self, rows: list[Row], name: str) -> "SplinkDataFrame":
        from pyspark.sql.types import ArrayType, StringType, StructField, StructType

        schema = StructType(
            [
                StructField(col, ArrayType(StringType()) if kind == "list" else StringType())
                for col, kind in COLUMNS.items()
            ]
        )
        frame = self.spark.createDataFrame(rows, schema=schema)
        return self.api.register(frame, dataset_display_name=name)

    def pairs(
        self, predictions: "SplinkDataFrame", is_link: bool, threshold: float = 0.0
    ) -> Iterator[tuple[str, str, float]]:
        frame = predictions.as_spark_dataframe()
        frame = frame.where(frame.match_probability >= threshold)
        rows = frame.orderBy(
            frame.match_probability.desc(), frame.unique_id_l, frame.unique_id_r
        ).toLocalIterator()
        for row in rows:
            left, right = row["unique_id_l"], row["unique_id_r"]
            if is_link and row["source_dataset_l"] != LEFT:
                left, right = right, left
            yield left, right, float(row["match_probability"])

    def probabilities(self, predictions: "SplinkDataFrame") -> "np.ndarray":
        import numpy as np

        frame = predictions.as_spark_dataframe().select("match_probability")
        return np.asarray([row[0] for row in frame.toLocalIterator()], dtype=np.float64)

    def clusters(self, clusters: "SplinkDataFrame") -> Iterator[tuple[str, str, str]]:
        frame = clusters.as_spark_dataframe()
        has_source = "source_dataset" in frame.columns
        for row in frame.orderBy("cluster_id", "unique_id").toLocalIterator():
            source = row["source_dataset"] if has_source else LEFT
            yield source, row["unique_id"], row["cluster_id"]


def make_backend(name: str) -> Backend:
    """Return the backend called ``name`` ("duckdb" or "spark")."""
    if name == "duckdb":
        return DuckDBBackend()
    if name == "spark":
        return SparkBackend()
    raise ValueError(f"Unknown backend {name!r}: choose one of {', '.join(BACKENDS)}.")
