from django.core.management.base import BaseCommand

from tinhgon.accounts import services
from tinhgon.core.changelog import acting_as

LOGIN_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Make sure an administrator exists; a new one gets a generated password, printed once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="User name of the administrator (default: admin).")
        parser.add_argument("--url", default=LOGIN_URL, help=f"Where the app is served (default: {LOGIN_URL}).")

    def handle(self, *args, username: str, url: str = LOGIN_URL, **options):
        with acting_as(None, source="cli"):
            user, password = services.admin_ensure(username=username)
        if password is not None:
            self.stdout.write(self.style.SUCCESS(f"Administrator {user.username} created."))
            self.stdout.write(f"  Sign in at: {url}")
            self.stdout.write(f"  User name:  {user.username}")
            self.stdout.write(f"  Password:   {password}")
            self.stdout.write("This password is shown only this once; keep it safe or change it under "
                              "\"my account\" after signing in (tinhgon reset-password prints a new one).")
            return
        self.stdout.write(f"User {user.username} already exists; its password is unchanged.")
        if not user.is_unrestricted:
            self.stdout.write(self.style.WARNING(f"Warning: {user.username} is not an administrator (role: {user.role})."))
        if not user.is_active:
            self.stdout.write(self.style.WARNING(f"Warning: {user.username} is deactivated."))
        self.stdout.write(f"To set a new password: tinhgon reset-password {user.username}")
