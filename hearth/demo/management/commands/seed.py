import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hearth.demo import reference as ref
from hearth.staff.models import Agency


class Command(BaseCommand):
    help = (
        "Create synthetic data: --scale demo (a small agency built through the services) or "
        "--scale state (a state-sized set bulk-loaded into PostgreSQL for benchmarks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "state"], default="demo")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if data exists.")
        parser.add_argument("--families", type=int, default=150, help=argparse_hide())
        parser.add_argument("--size-factor", type=float, default=1.0, help=argparse_hide())
        parser.add_argument("--force", action="store_true", help="Allow --scale state on SQLite.")

    def handle(self, *args, scale, seed, if_empty, families, size_factor, force, **options):
        if Agency.objects.exists():
            if if_empty:
                self.stdout.write("Data already loaded; nothing to do.")
                if scale == "demo":
                    call_command("demo_signins", stdout=self.stdout)
                return
            raise CommandError("The database already has data. Seed an empty database.")
        started = time.monotonic()
        if scale == "demo":
            from hearth.demo.demo import build_demo

            summary = build_demo(seed=seed, families=families, out=self.stderr)
        else:
            if connection.vendor != "postgresql" and not force:
                raise CommandError("--scale state is meant for PostgreSQL (use --force to insist).")
            from hearth.demo.state import build_state

            summary = build_state(seed=seed, factor=size_factor, out=self.stderr)
        took = time.monotonic() - started
        parts = ", ".join(f"{v:,} {k}" for k, v in summary.items())
        self.stdout.write(f"Seeded {scale} scale in {took:.1f} s: {parts}.")
        if scale == "demo":  # make demo prints them here, once, whether seeded or not
            call_command("demo_signins", stdout=self.stdout)


def argparse_hide():
    import argparse

    return argparse.SUPPRESS


def print_signins(out) -> None:
    out.write(f"\nDemo sign-ins (password: {ref.DEMO_PASSWORD})")
    for username, role in ref.DEMO_SIGNINS:
        out.write(f"  {username:<16} {role}")
