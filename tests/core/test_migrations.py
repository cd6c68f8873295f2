from io import StringIO

from django.apps import apps as django_apps
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader


def test_models_and_migrations_agree(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_migrations_are_linear_per_app(db):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = loader.graph.leaf_nodes()
    ours = {c.label for c in django_apps.get_app_configs() if c.name.startswith("hearth.")}
    labels = [app for app, _ in leaves if app in ours]
    assert len(labels) == len(set(labels)), f"more than one leaf migration: {leaves}"
