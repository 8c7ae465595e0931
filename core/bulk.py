"""Bulk writes for ticks: PostgreSQL COPY, a fixed number of statements whatever the row count.

A tick of a 10,000-character world writes tens of thousands of rows. ``bulk_create`` spends
most of that time preparing each value through every field in Python, and its batches make the
statement count grow with the world; COPY streams plain tuples in one statement. Values are
given as Python values in the order of ``fields``; ``JSONField`` values are wrapped here.
Every statement is also recorded in ``connection.queries_log`` when queries are being logged, so
query counts in tests and benchmarks stay honest. Call inside a transaction.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from psycopg.types.json import Jsonb

_stage_names = itertools.count(1)


def _columns(model: type[models.Model], fields: Sequence[str]) -> tuple[list[str], list[bool]]:
    meta = model._meta
    columns, is_json = [], []
    for name in fields:
        field = meta.get_field(name)
        columns.append(field.column)
        is_json.append(isinstance(field, models.JSONField))
    return columns, is_json


def _log(sql: str, started: float) -> None:
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})


def _execute(sql: str) -> None:
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.cursor.execute(sql)
    _log(sql, started)


def _copy(
    table: str, columns: list[str], is_json: list[bool], rows: Iterable[Sequence[Any]]
) -> int:
    started = time.monotonic()
    count = 0
    quoted = ", ".join(f'"{c}"' for c in columns)
    sql = f'COPY "{table}" ({quoted}) FROM STDIN'
    json_at = [i for i, j in enumerate(is_json) if j]
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            if json_at:  # wrap only the JSON columns; most are plain values
                row = list(row)
                for i in json_at:
                    if row[i] is not None:
                        row[i] = Jsonb(row[i])
            copy.write_row(row)
            count += 1
    _log(f"{sql} -- {count} rows", started)
    return count


def copy_insert(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` (tuples in ``fields`` order; give every NOT NULL column, ``id`` and
    ``created_at`` included: COPY applies no Django defaults). Returns the row count."""
    columns, is_json = _columns(model, fields)
    return _copy(model._meta.db_table, columns, is_json, rows)


def _stage(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """COPY rows into a temporary copy of the model's table (dropped at commit)."""
    stage = f"stage_{model._meta.db_table}_{next(_stage_names)}"
    columns, is_json = _columns(model, fields)
    quoted = ", ".join(f'"{c}"' for c in columns)
    # Only the given columns, their types and no constraints (LIKE would copy NOT NULLs).
    _execute(
        f'CREATE TEMP TABLE "{stage}" ON COMMIT DROP AS '
        f'SELECT {quoted} FROM "{model._meta.db_table}" WITH NO DATA'
    )
    _copy(stage, columns, is_json, rows)
    return stage


def copy_update(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """``UPDATE`` existing rows by primary key: ``fields[0]`` must be the primary key."""
    rows = list(rows)
    if not rows:
        return
    stage = _stage(model, fields, rows)
    columns, _ = _columns(model, fields)
    key, rest = columns[0], columns[1:]
    assignments = ", ".join(f'"{c}" = s."{c}"' for c in rest)
    table = model._meta.db_table
    _execute(
        f'UPDATE "{table}" AS t SET {assignments} FROM "{stage}" AS s WHERE t."{key}" = s."{key}"'
    )


def copy_upsert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    conflict: Sequence[str],
    update: Sequence[str] = (),
) -> None:
    """Insert rows; on a conflict over ``conflict`` update ``update`` (or skip the row when
    ``update`` is empty). Give every NOT NULL column."""
    rows = list(rows)
    if not rows:
        return
    stage = _stage(model, fields, rows)
    columns, _ = _columns(model, fields)
    conflict_columns, _ = _columns(model, conflict)
    update_columns, _ = _columns(model, update)
    quoted = ", ".join(f'"{c}"' for c in columns)
    target = ", ".join(f'"{c}"' for c in conflict_columns)
    action = (
        "DO UPDATE SET " + ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in update_columns)
        if update_columns
        else "DO NOTHING"
    )
    _execute(
        f'INSERT INTO "{model._meta.db_table}" ({quoted}) SELECT {quoted} FROM "{stage}" '
        f"ON CONFLICT ({target}) {action}"
    )


def concrete_values(obj: models.Model, fields: Sequence[models.Field]) -> list[Any]:
    """The column values of an unsaved instance, with ``auto_now(_add)`` filled in as Django's
    own save would."""
    return [field.pre_save(obj, add=True) for field in fields]


def copy_insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> int:
    """Insert unsaved instances (every concrete column, defaults as Django set them)."""
    if not objs:
        return 0
    fields = [f for f in model._meta.concrete_fields]
    names = [f.name for f in fields]
    return copy_insert(model, names, (concrete_values(obj, fields) for obj in objs))
