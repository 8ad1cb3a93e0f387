"""great_expectations validation of Article rows; the suite is built from ``schema.FIELDS``.

Design notes (measured traps, see ../shared/design.md):
- ``import great_expectations`` costs ~3 s and each validation call has a fixed cost, so GX is
  imported lazily, once per process, and rows are validated in batches.
- GX phones home by default and draws progress bars: analytics and progress bars are switched
  off before/at context creation; the context is ephemeral (nothing written to disk).
- Per-row results need ``result_format`` COMPLETE with ``unexpected_index_column_names``; that
  works for column-map expectations only, so every check here is a column-map expectation.
- List and struct columns are poorly supported: lists are validated through derived scalar
  columns (``_authors_count``, ``_images_blank``, ...).
- Length/regex/set expectations skip nulls: every non-nullable column also gets a not-null check.
- Timestamps are already timestamps (no dateutil-parseable check): their range is checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from baotinh import faults
from baotinh.dataset.layout import Layout
from baotinh.schema import ARTICLE_SCHEMA, FIELDS, Field

logger = logging.getLogger(__name__)

SUITE_NAME = "baotinh_articles"
ROW_INDEX = "_row"  # the index column GX reports unexpected rows by
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)
LATEST_PARAMETER = "latest_allowed_timestamp"  # GX suite parameter, set per validation call

NOT_NULL = "expect_column_values_to_not_be_null"
MATCH_REGEX = "expect_column_values_to_match_regex"
IN_SET = "expect_column_values_to_be_in_set"
LENGTHS = "expect_column_value_lengths_to_be_between"
BETWEEN = "expect_column_values_to_be_between"
UNIQUE = "expect_column_values_to_be_unique"


@dataclass(frozen=True)
class Check:
    """One column-map expectation, independent of GX (so the list is cheap to build and test)."""

    kind: str  # GX expectation type, e.g. "expect_column_values_to_not_be_null"
    column: str
    kwargs: tuple[tuple[str, Any], ...] = ()

    @property
    def name(self) -> str:
        """The name recorded per failed row, e.g. ``expect_column_values_to_not_be_null(title)``."""
        return f"{self.kind}({self.column})"


def count_column(f: Field) -> str:
    return f"_{f.name}_count"


def blank_column(f: Field) -> str:
    return f"_{f.name}_blank"


def _is_list(f: Field) -> bool:
    return pa.types.is_list(f.type)


def checks() -> list[Check]:
    """The expectations, derived from FIELDS (plus timestamp ranges and list-derived scalars)."""
    result: list[Check] = []
    for f in FIELDS:
        if _is_list(f):
            # Lists: GX sees the number of entries and the number of blank entries (an empty
            # string, or an image without url), both scalars.
            if not f.nullable:
                result.append(Check(NOT_NULL, count_column(f)))
            result.append(Check(BETWEEN, blank_column(f), (("max_value", 0), ("min_value", 0))))
            continue
        if not f.nullable:
            result.append(Check(NOT_NULL, f.name))
        if f.pattern:
            result.append(Check(MATCH_REGEX, f.name, (("regex", f.pattern),)))
        if f.allowed:
            result.append(Check(IN_SET, f.name, (("value_set", list(f.allowed)),)))
        if f.min_length is not None or f.max_length is not None:
            # Lengths skip nulls: for a non-nullable column the not-null check above pairs it.
            result.append(
                Check(LENGTHS, f.name, (("min_value", f.min_length), ("max_value", f.max_length)))
            )
        if f.min_value is not None:
            result.append(Check(BETWEEN, f.name, (("min_value", f.min_value),)))
        if pa.types.is_timestamp(f.type):
            # Not before 1990, not more than FUTURE_SLACK ahead of the validation time.
            result.append(
                Check(
                    BETWEEN,
                    f.name,
                    (("min_value", EARLIEST), ("max_value", {"$PARAMETER": LATEST_PARAMETER})),
                )
            )
        if f.unique:
            result.append(Check(UNIQUE, f.name))
    return result


# ---------------------------------------------------------------------------------------------
# Arrow conversion: rows whose values do not fit the schema are caught here, per column.


def _fits(value: Any, t: pa.DataType) -> bool:
    """Whether ``value`` has the Python type ``t`` expects.

    Written here because pyarrow coerces silently where we want an error: a float into an
    int column is truncated, a naive datetime is read as UTC, and a string given for a list
    of strings becomes a list of its characters.
    """
    if value is None:
        return True
    if pa.types.is_string(t):
        return isinstance(value, str)
    if pa.types.is_boolean(t):
        return isinstance(value, bool)
    if pa.types.is_integer(t):
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        bits = t.bit_width - (1 if pa.types.is_signed_integer(t) else 0)
        low = -(1 << bits) if pa.types.is_signed_integer(t) else 0
        return low <= value < (1 << bits)
    if pa.types.is_timestamp(t):
        return isinstance(value, datetime) and value.utcoffset() is not None
    if pa.types.is_list(t):
        return isinstance(value, list | tuple) and all(_fits(v, t.value_type) for v in value)
    if pa.types.is_struct(t):
        names = {c.name for c in t}
        return (
            isinstance(value, dict)
            and set(value) <= names
            and all(_fits(value.get(c.name), c.type) for c in t)
        )
    raise TypeError(f"no Python type check for Arrow type {t}")


def schema_failures(row: dict[str, Any]) -> list[str]:
    """``schema:<column>`` for every column whose value cannot be stored as declared."""
    return [f"schema:{f.name}" for f in FIELDS if not _fits(row.get(f.name), f.type)]


def fit_schema(row: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The row with values that do not fit the schema set to None (so it fits the all-nullable
    quarantine table), and the ``schema:<column>`` names of those values."""
    failed = schema_failures(row)
    if failed:
        bad_columns = {name.removeprefix("schema:") for name in failed}
        row = {k: (None if k in bad_columns else v) for k, v in row.items()}
    return row, failed


def rows_to_table(rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows that fit the schema -> an Arrow table of ARTICLE_SCHEMA (columns not given are null)."""
    return pa.Table.from_pylist(
        [{f.name: r.get(f.name) for f in FIELDS} for r in rows], schema=ARTICLE_SCHEMA
    )


# ---------------------------------------------------------------------------------------------
# The GX runtime (imported lazily, once).


@dataclass
class _Runtime:
    gx: Any
    context: Any
    batch_definition: Any
    suite: Any
    import_seconds: float


def _expectation(gx: Any, check: Check) -> Any:
    cls = getattr(gx.expectations, "".join(p.title() for p in check.kind.split("_")))
    return cls(column=check.column, **dict(check.kwargs))


@cache
def _runtime() -> _Runtime:
    # Must be set before the import: GX sends usage analytics by default.
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    started = time.perf_counter()
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    import_seconds = time.perf_counter() - started
    config = DataContextConfig(
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    asset = context.data_sources.add_pandas("baotinh").add_dataframe_asset("articles")
    batch_definition = asset.add_batch_definition_whole_dataframe("batch")
    suite = gx.ExpectationSuite(name=SUITE_NAME)
    for check in checks():
        suite.add_expectation(_expectation(gx, check))
    suite = context.suites.add(suite)
    logger.debug("great_expectations imported in %.2f s", import_seconds)
    return _Runtime(gx, context, batch_definition, suite, import_seconds)


def gx_import_seconds() -> float:
    """Seconds the (lazy) import of great_expectations took in this process."""
    return _runtime().import_seconds


def suite_json() -> dict[str, Any]:
    """The expectation suite as GX JSON (``$PARAMETER`` marks the per-run upper time bound)."""
    return _runtime().suite.to_json_dict()


# ---------------------------------------------------------------------------------------------
# Validation.


def _gx_frame(table: pa.Table) -> Any:
    """The scalar columns of ``table`` plus list-derived scalars and the row index, as pandas."""
    scalar = [f.name for f in FIELDS if not _is_list(f)]
    frame = table.select(scalar)
    for f in FIELDS:
        if not _is_list(f):
            continue
        column = table.column(f.name)
        frame = frame.append_column(count_column(f), pc.list_value_length(column))
        frame = frame.append_column(blank_column(f), _blank_entries(column))
    frame = frame.append_column(ROW_INDEX, pa.array(range(table.num_rows), type=pa.int64()))
    return frame.to_pandas()


def _blank_entries(column: pa.ChunkedArray) -> pa.Array:
    """Per row: entries that are null or empty (for structs: whose first field is)."""
    column = column.combine_chunks()
    values = pc.list_flatten(column)
    if pa.types.is_struct(values.type):
        values = pc.struct_field(values, [0])
    blank = pc.fill_null(pc.or_(pc.is_null(values), pc.equal(pc.utf8_length(values), 0)), True)
    parents = pc.list_parent_indices(column)
    counts = [0] * len(column)
    for parent, is_blank in zip(parents.to_pylist(), blank.to_pylist(), strict=True):
        counts[parent] += int(is_blank)
    return pa.array(counts, type=pa.int64())


@dataclass
class BatchResult:
    """Per input row, in order: the row (values that do not fit the schema set to None, so it
    fits the quarantine table) and the names of what it failed ([] = valid)."""

    rows: list[dict[str, Any]]
    failures: list[list[str]]

    @property
    def good(self) -> list[dict[str, Any]]:
        return [r for r, f in zip(self.rows, self.failures, strict=True) if not f]

    @property
    def bad(self) -> list[tuple[int, dict[str, Any], list[str]]]:
        return [
            (i, r, f) for i, (r, f) in enumerate(zip(self.rows, self.failures, strict=True)) if f
        ]


class BatchValidator:
    """Validates batches of Article rows with one GX suite built from FIELDS, in this process."""

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._now = now
        self.calls = 0
        self.seconds = 0.0

    def validate(self, rows: Sequence[dict[str, Any]]) -> BatchResult:
        checked, failures, table = _fit_rows(rows)
        if table is not None:
            _merge(failures, self.validate_table(table))
        return BatchResult(checked, failures)

    def submit(self, rows: Sequence[dict[str, Any]]) -> Future[BatchResult]:
        """``validate`` behind the interface of :class:`BackgroundValidator` (done at once)."""
        future: Future[BatchResult] = Future()
        try:
            future.set_result(self.validate(rows))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def restart(self) -> None:
        pass  # nothing to replace: validation runs in this process

    def close(self) -> None:
        pass

    def validate_table(self, table: pa.Table) -> list[list[str]]:
        """Names of the failed expectations for each row of an ARTICLE_SCHEMA table."""
        return self.validate_table_result(table)[0]

    def validate_table_result(self, table: pa.Table) -> tuple[list[list[str]], Any]:
        """Per-row failure names and GX's own result (an ``ExpectationSuiteValidationResult``,
        which Data Docs render); the result is None for an empty table."""
        if table.num_rows == 0:
            return [], None
        runtime = _runtime()
        started = time.perf_counter()
        frame = _gx_frame(table)
        batch = runtime.batch_definition.get_batch(batch_parameters={"dataframe": frame})
        with warnings.catch_warnings():
            # GX runs regexes through pandas' str.contains, which warns about match groups
            # (e.g. in the language pattern) although only whether it matches is used.
            warnings.filterwarnings("ignore", "This pattern is interpreted", UserWarning)
            result = batch.validate(
                runtime.suite,
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": [ROW_INDEX],
                    "return_unexpected_index_query": False,
                },
                expectation_parameters={LATEST_PARAMETER: self._now() + FUTURE_SLACK},
            )
        per_row: list[list[str]] = [[] for _ in range(table.num_rows)]
        for outcome in result.results:
            config = outcome.expectation_config
            name = f"{config.type}({config.kwargs.get('column')})"
            if outcome.exception_info and outcome.exception_info.get("raised_exception"):
                # A check that cannot run proves nothing: every row fails it (and is kept in
                # quarantine rather than published unchecked).
                logger.error(
                    "expectation %s raised: %s",
                    name,
                    outcome.exception_info.get("exception_message"),
                )
                for failed in per_row:
                    failed.append(f"{name}:error")
                continue
            if outcome.success:
                continue
            for unexpected in outcome.result.get("unexpected_index_list") or []:
                per_row[int(unexpected[ROW_INDEX])].append(name)
        self.calls += 1
        self.seconds += time.perf_counter() - started
        return per_row, result


def _fit_rows(
    rows: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[list[str]], pa.Table | None]:
    """Schema-fitted rows, their schema failures, and the table of the rows that fit."""
    checked: list[dict[str, Any]] = []
    failures: list[list[str]] = []
    for row in rows:
        row, failed = fit_schema(row)
        checked.append(row)
        failures.append(failed)
    fitting = [checked[i] for i, f in enumerate(failures) if not f]
    return checked, failures, rows_to_table(fitting) if fitting else None


def _merge(failures: list[list[str]], table_failures: list[list[str]]) -> None:
    """Put the failures of the validated table back at the rows it was made of."""
    fitting = [i for i, f in enumerate(failures) if not f]
    for i, failed in zip(fitting, table_failures, strict=True):
        failures[i] = failed


def _exit_with(parent: int) -> None:
    # A killed crawl (kill -9) leaves its validation child waiting on a queue whose write end
    # the child itself holds, so it would never see EOF: it leaves when its parent is gone.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _worker_start(parent: int) -> None:
    # In the validation process: follow the parent (its pid comes from the parent itself: it
    # may be dead already, and then this process' parent is init), and pay for the GX import
    # and the suite before the first batch.
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    _runtime()


def _worker_validate(table: pa.Table, now: datetime) -> list[list[str]]:
    if faults.fires("validation_child_exit"):
        os._exit(70)  # the child dies mid-batch (tests of the parent's recovery)
    if faults.fires("validation_child_hang"):
        time.sleep(3600)
    return BatchValidator(now=lambda: now).validate_table(table)


class BackgroundValidator:
    """GX in a child process, so its ~3 s import and each batch's validation run on another
    core while the crawl goes on. Rows are fitted to the schema here; only the Arrow table
    crosses to the child, and only failure names come back."""

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._now = now
        self.restarts = 0
        self._pool = self._start()

    @staticmethod
    def _start() -> ProcessPoolExecutor:
        import multiprocessing

        # spawn, not fork: the crawler process runs threads (the reactor's pool, SQLite).
        pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start,
            initargs=(os.getpid(),),
        )
        pool.submit(int)  # start the child (and its GX import) now, not at batch one
        return pool

    @staticmethod
    def _stop(pool: ProcessPoolExecutor, grace_s: float) -> None:
        """Shut ``pool`` down; a worker still busy after ``grace_s`` (hung) is killed."""
        # ProcessPoolExecutor has no public kill, and shutdown(wait=True) would wait forever
        # on a hung worker: stop its (one) worker ourselves.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(grace_s)
                if process.is_alive():
                    process.kill()
                    process.join(5.0)

    def restart(self) -> None:
        """Replace the child: a dead one breaks the pool for every later submit
        (BrokenProcessPool), and a hung one would never answer. Futures in flight fail."""
        old, self._pool = self._pool, self._start()
        self.restarts += 1
        self._stop(old, grace_s=0.0)

    def submit(self, rows: Sequence[dict[str, Any]]) -> Future[BatchResult]:
        checked, failures, table = _fit_rows(rows)
        result: Future[BatchResult] = Future()
        if table is None:
            result.set_result(BatchResult(checked, failures))
            return result

        def done(child: Future[list[list[str]]]) -> None:
            try:
                _merge(failures, child.result())
                result.set_result(BatchResult(checked, failures))
            except Exception as exc:
                result.set_exception(exc)

        self._pool.submit(_worker_validate, table, self._now()).add_done_callback(done)
        return result

    def close(self) -> None:
        # Every batch was handed over before close: work still in the child is a hung batch
        # already validated elsewhere, and an idle child leaves at once.
        self._stop(self._pool, grace_s=5.0)


Validator = BatchValidator | BackgroundValidator


# ---------------------------------------------------------------------------------------------
# Dataset validation (`baotinh validate DIR`).


@dataclass
class DatasetValidation:
    files: int = 0
    rows: int = 0
    failed_rows: int = 0
    failures: Counter[str] = field(default_factory=Counter)  # expectation name -> rows
    examples: list[str] = field(default_factory=list)  # a few "file#row article_id: names"

    @property
    def ok(self) -> bool:
        return self.failed_rows == 0 and not self.failures

    def summary(self) -> str:
        lines = [f"{self.files} files, {self.rows} rows, {self.failed_rows} failed rows"]
        lines += [f"  {count:>8}  {name}" for name, count in self.failures.most_common()]
        lines += [f"  e.g. {example}" for example in self.examples]
        return "\n".join(lines)


MAX_EXAMPLES = 20
UNIQUE_ROW_COLUMNS = ("article_id", "version", "extractor", "content_sha256")


def published_files(out_dir: Path) -> list[Path]:
    """Published article files (temporary ``.<name>.parquet.tmp`` files are not published)."""
    layout = Layout.of(out_dir)
    if not layout.articles.is_dir():
        raise FileNotFoundError(f"{out_dir}: no articles/ folder (not a baotinh dataset?)")
    return layout.parquet_files()


def validate_dataset(
    out_dir: Path | str, batch_rows: int = 10_000, validator: BatchValidator | None = None
) -> DatasetValidation:
    """Validate every published article file in batches; also checks each file's schema and
    that no row is stored twice: (article_id, version, extractor, content_sha256) is unique (a
    version is never overwritten; a re-extraction by another parser shares its version)."""
    validator = validator or BatchValidator()
    report = DatasetValidation()
    seen_rows: set[bytes] = set()  # 12-byte digests of the keys: small per row
    for path in published_files(Path(out_dir)):
        report.files += 1
        try:
            parquet = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as exc:
            _fail_file(report, path, "file:unreadable", f"{exc}")
            continue
        if not parquet.schema_arrow.remove_metadata().equals(ARTICLE_SCHEMA.remove_metadata()):
            report.rows += parquet.metadata.num_rows
            report.failed_rows += parquet.metadata.num_rows
            _fail_file(report, path, "file:schema", "schema differs from ARTICLE_SCHEMA")
            continue
        offset = 0
        for record_batch in parquet.iter_batches(batch_size=batch_rows):
            table = pa.Table.from_batches([record_batch], schema=parquet.schema_arrow)
            per_row = validator.validate_table(table)
            keys = zip(*(table.column(c).to_pylist() for c in UNIQUE_ROW_COLUMNS), strict=True)
            for i, (failed, key) in enumerate(zip(per_row, keys, strict=True)):
                digest = hashlib.blake2b(repr(key).encode(), digest_size=12).digest()
                if digest in seen_rows:
                    failed = [*failed, f"unique({', '.join(UNIQUE_ROW_COLUMNS)})"]
                seen_rows.add(digest)
                if failed:
                    report.failed_rows += 1
                    report.failures.update(failed)
                    if len(report.examples) < MAX_EXAMPLES:
                        report.examples.append(f"{path}#{offset + i} {key[0]}: {', '.join(failed)}")
            report.rows += table.num_rows
            offset += table.num_rows
    return report


def _fail_file(report: DatasetValidation, path: Path, name: str, detail: str) -> None:
    report.failures[name] += 1
    if len(report.examples) < MAX_EXAMPLES:
        report.examples.append(f"{path}: {name}: {detail}")


def names(results: Iterable[list[str]]) -> Counter[str]:
    """Counts of failed expectation names over per-row results (for logs and reports)."""
    counts: Counter[str] = Counter()
    for failed in results:
        counts.update(failed)
    return counts
