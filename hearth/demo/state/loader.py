"""The state seed's loader: ids handed out by the generator, rows streamed with COPY,
and the progress line its steps print."""

import time
from collections import defaultdict

from django.db import connection, models
from psycopg.types.json import Jsonb

from hearth.core.services import now


class Progress:
    def __init__(self, out, total_steps: int):
        self.out, self.total, self.done, self.started = out, total_steps, 0, time.monotonic()

    def step(self, label: str, rows: int) -> None:
        self.done += 1
        width = 30
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "-" * (width - filled)
        took = time.monotonic() - self.started
        self.out.write(f"\r[{bar}] {self.done}/{self.total} {label}: {rows:,} rows ({took:.0f} s)")
        if self.done == self.total:
            self.out.write("\n")
        self.out.flush()


class Loader:
    """Assigns ids itself and streams rows with COPY; sequences are reset at the end."""

    def __init__(self):
        self.next_id = defaultdict(lambda: 1)
        self.now = now()
        self.loaded = []  # the models whose tables were loaded, in order
        self.dropped_keys, self.dropped_indexes = [], []

    def ids(self, model, n: int) -> range:
        start = self.next_id[model]
        self.next_id[model] += n
        return range(start, start + n)

    def copy(self, model: type[models.Model], rows: list[dict]) -> int:
        fields = model._meta.concrete_fields
        columns = [f.column for f in fields]
        defaults = {}
        for f in fields:
            if f.name in ("created_at", "updated_at"):
                defaults[f.attname] = self.now
            elif f.has_default():
                defaults[f.attname] = f.get_default()
            elif f.null or f.blank:
                defaults[f.attname] = None if f.null else ""
        self.loaded.append(model)
        json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as cp,
        ):
            for row in rows:
                values = []
                for f in fields:
                    v = row.get(f.attname, defaults.get(f.attname))
                    if f.attname in json_fields:
                        v = Jsonb(v)
                    values.append(v)
                cp.write_row(values)
        return len(rows)

    def copy_tuples(self, model: type[models.Model], attnames: list[str], rows: list) -> int:
        """COPY rows given as tuples in `attnames` order (every column): the fast path for
        the large tables."""
        fields = {f.attname: f for f in model._meta.concrete_fields}
        assert set(attnames) == set(fields), set(fields) ^ set(attnames)
        self.loaded.append(model)
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(fields[a].column) for a in attnames)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as cp,
        ):
            for row in rows:
                cp.write_row(row)
        return len(rows)

    def drop_keys(self, models_: list) -> None:
        """Load the models' tables without their foreign keys and secondary indexes, until
        restore_keys puts them back as they were (as pg_restore does): PostgreSQL then
        checks each foreign key once over the whole table instead of once a row at commit,
        and builds each index in one pass. Primary keys and unique constraints stay
        throughout."""
        tables = [m._meta.db_table for m in models_]
        with connection.cursor() as cursor:
            # The rows loaded so far are checked now: a table with checks pending (the
            # referenced ones) cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
                "ORDER BY 1, 2",
                [tables],
            )
            self.dropped_keys = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid "
                "WHERE i.indrelid = ANY(%s::regclass[]) AND c.oid IS NULL ORDER BY 1",
                [tables],
            )
            self.dropped_indexes = cursor.fetchall()
            for table, name, _ in self.dropped_keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _ in self.dropped_indexes:
                cursor.execute(f"DROP INDEX {name}")

    def restore_keys(self) -> None:
        with connection.cursor() as cursor:
            for _, definition in self.dropped_indexes:
                cursor.execute(definition)
            for table, name, definition in self.dropped_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        self.dropped_keys, self.dropped_indexes = [], []

    def reset_sequences(self) -> None:
        """Each table loaded, its id sequence moved past the ids handed out."""
        with connection.cursor() as cursor:
            for model in self.loaded:
                table = model._meta.db_table
                pk = model._meta.pk.column
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), "
                    f"COALESCE((SELECT MAX({pk}) FROM {table}), 1))"
                )
