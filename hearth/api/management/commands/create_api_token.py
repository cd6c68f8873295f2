from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hearth.api.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create an API bearer token for USERNAME and print it (it is shown only once; it "
        "expires after HEARTH_API_TOKEN_DAYS days)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="")

    def handle(self, *args, username, label, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        _, raw = api_token_create(actor=None, user=user, label=label)
        self.stdout.write(raw)
