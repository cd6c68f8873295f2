from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from hearth.demo import reference as ref
from hearth.demo.management.commands.seed import print_signins


class Command(BaseCommand):
    help = "Print the demo sign-ins and where to open the demo."

    def handle(self, *args, **options):
        names = {u for u, _ in ref.DEMO_SIGNINS}
        if get_user_model().objects.filter(username__in=names).count() != len(names):
            self.stdout.write(
                "The demo sign-ins are not loaded (run: manage.py seed --scale demo)."
            )
            return
        self.stdout.write("\nHearth demo: open http://127.0.0.1:8000 and sign in as one of:")
        print_signins(self.stdout)
