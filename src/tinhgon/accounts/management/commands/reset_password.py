from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tinhgon.accounts import services
from tinhgon.core.changelog import acting_as


class Command(BaseCommand):
    help = "Give a user a new generated password (printed once); they must change it at next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        try:
            user = services.user_by_username(username=username)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with acting_as(None, source="cli"):
            password = services.user_reset_password(user=user)
        self.stdout.write(self.style.SUCCESS(f"New password for {user.username}: {password}"))
        self.stdout.write("It is shown only this once; the user must change it at next sign-in.")
        if not user.is_active:
            self.stdout.write(self.style.WARNING(f"Warning: {user.username} is deactivated and cannot sign in."))
