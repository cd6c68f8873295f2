from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hearth.staff import signin


class Command(BaseCommand):
    help = (
        "Remove USERNAME's authenticator app and recovery codes (a lost phone): their next "
        "sign-in sets up two-factor sign-in again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        removed = signin.two_factor_reset(user=user)
        self.stdout.write(
            f"Removed {removed} two-factor device(s) of {username}; their next sign-in sets up "
            "a new authenticator app."
        )
