"""Reads whose SQL Django builds once, for the few statements of a page that every request runs.

Django builds a queryset's SQL afresh each time it runs: it resolves every field name, join and
ordering of the model again. On the case page that building cost more of the app's time than
running the statements did. `Prepared` takes a function that builds a queryset from its
arguments. The first call builds it with marker values and compiles it; every later call runs
the kept SQL with its own values, through Django's own row iterable, so that rows become model
instances (`select_related` objects and field converters such as decryption included) exactly
as they would from the queryset. `prefetch_related` lookups run afterwards as usual.

Only values that Django passes to the database unchanged can be arguments: integers (keys) and
strings. Every marker must be found among the compiled parameters as it was given. A queryset
that transforms an argument (a LIKE pattern, a list whose length varies) is refused at the first
call, with a message, and a call with another type of value is refused too (None, for one,
would need `IS NULL` rather than `= %s`). A call returns a list, never a queryset, so nothing can
be chained onto the kept SQL by mistake.

No library does this for Django: its ORM has no statement cache, and caches of query results
(such as django-cachalot) keep rows, which this must not, as every read must see the last write.
"""

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import QuerySet

T = TypeVar("T")
Value = int | str
# Within a 32-bit integer: Django turns an exact lookup with an integer out of its column's
# range into an empty result, which compiles to no SQL at all.
_INT_MARKER = -2_000_000_000
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_STR_MARKER = "\x00tipnet-prepared-"


class PreparedError(ValueError):
    """A queryset whose SQL cannot be kept, or a value that cannot be bound to it."""


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any]
    compiler: Any  # django.db.models.sql.compiler.SQLCompiler, after as_sql()
    vendor: str  # the database's, whose SQL this is
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int | None, ...]  # for each parameter, the argument it takes, or None
    kinds: tuple[type, ...]


class Prepared(Generic[T]):
    """`Prepared(lambda case_id: Model.objects.filter(case_id=case_id))(7)`: the rows as a list."""

    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self._build = build
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()

    def __call__(self, *values: Value) -> list[T]:
        compiled = self._compile(values)
        for value in values:
            if type(value) is int and not _INT_MIN <= value <= _INT_MAX:
                # No key is out of this range; the database would refuse the value outright.
                raise PreparedError(f"{value} is out of the range of a 64-bit integer")
        for value, kind in zip(values, compiled.kinds, strict=True):
            if type(value) is not kind:
                raise PreparedError(f"expected {kind.__name__}, got {type(value).__name__}")
        params = tuple(
            compiled.params[i] if slot is None else values[slot]
            for i, slot in enumerate(compiled.slots)
        )
        queryset = compiled.queryset.all()  # a clone, unevaluated
        alias = queryset.db
        compiler = copy.copy(compiled.compiler)
        # The connection is the calling thread's own, as Django's are.
        compiler.connection = connections[alias]
        sql = compiled.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        # Only this clone's query runs the kept SQL; the kept queryset's own is never run.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        return list(queryset)

    def _compile(self, values: tuple[Value, ...]) -> _Compiled:
        found = self._compiled
        if found is not None and connections[found.queryset.db].vendor == found.vendor:
            return found
        markers: list[Value] = []
        for n, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise PreparedError(f"argument {n}: only int and str, not {type(value).__name__}")
            markers.append(_INT_MARKER - n if isinstance(value, int) else f"{_STR_MARKER}{n}")
        with self._lock:
            self._compiled = self._compile_for(self._build(*markers), markers)
            return self._compiled

    @staticmethod
    def _compile_for(queryset: QuerySet[Any], markers: list[Value]) -> _Compiled:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        params = tuple(params)
        slots: list[int | None] = []
        for param in params:
            slot = next(
                (n for n, m in enumerate(markers) if type(param) is type(m) and param == m), None
            )
            slots.append(slot)
        missing = [n for n in range(len(markers)) if n not in slots]
        if missing:
            raise PreparedError(
                f"argument(s) {missing} do not reach the SQL unchanged: this queryset cannot be "
                "prepared"
            )
        return _Compiled(
            queryset=queryset,
            compiler=compiler,
            vendor=connections[queryset.db].vendor,
            sql=sql,
            params=params,
            slots=tuple(slots),
            kinds=tuple(type(m) for m in markers),
        )
