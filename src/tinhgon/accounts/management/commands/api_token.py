from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tinhgon.accounts import services
from tinhgon.core.changelog import acting_as


class Command(BaseCommand):
    help = "Print the REST API token of a user, creating it when there is none."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--regenerate", action="store_true", help="Replace the existing token with a new one.")

    def handle(self, *args, username: str, regenerate: bool = False, **options):
        try:
            user = services.user_by_username(username=username)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if not user.is_active:
            raise CommandError(f"User {user.username} is deactivated.")
        with acting_as(None, source="cli"):
            key = services.api_token_regenerate(user=user) if regenerate else services.api_token_for(user=user)
        self.stdout.write(key)
