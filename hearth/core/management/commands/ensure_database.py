"""Create the PostgreSQL database named in DATABASE_URL when it does not exist yet.

SQLite needs nothing: the file is created on first use.
"""

from django.core.management.base import BaseCommand
from django.db import connections


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database if it is missing (no-op on SQLite)."

    def handle(self, *args, **options):
        conn = connections["default"]
        if conn.vendor != "postgresql":
            return
        import psycopg
        from psycopg import sql

        params = conn.get_connection_params()
        name = params.pop("dbname")
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as pg:
            exists = pg.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                pg.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                self.stdout.write(f"Created database {name}.")
