"""``tinhgon restore FILE``: replace the database with a backup of ``tinhgon backup``."""

import sys

import dj_database_url
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from tinhgon.core import backup


class Command(BaseCommand):
    help = ("Replace the content of the database with a backup made by `tinhgon backup` (checked first). "
            "Stop the server first. Refuses to overwrite a database that holds data unless --yes is given "
            "(or confirmed at the prompt). --into restores into another database instead, e.g. a "
            "restore drill. Prints the rows of every table.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file.")
        parser.add_argument("--into", metavar="DATABASE_URL",
                            help="Restore into this database (TINHGON_DATABASE_URL syntax) instead of the app's "
                                 "own, e.g. postgresql://tinhgon@/tinhgon_drill or sqlite:////tmp/drill.sqlite3.")
        parser.add_argument("--yes", "--force", action="store_true", dest="yes",
                            help="Replace a database that holds data without asking.")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive",
                            help="Never ask; without --yes, refuse to replace data.")

    def handle(self, *args, file: str, into: str | None = None, yes: bool = False, interactive: bool = True,
               verbosity: int = 1, **options):
        db = dj_database_url.parse(into) if into else connections["default"].settings_dict
        try:
            vendor = backup.verify(file)
            if verbosity >= 1:
                self.stdout.write(f"{file}: a complete {backup.NAMES[vendor]} backup.")
            target = self._describe(db)
            if not yes and not backup.is_empty(db):
                if not (interactive and sys.stdin.isatty()):
                    raise CommandError(f"{target} holds data: add --yes to replace it with {file}.")
                answer = input(f"{target} holds data; everything in it will be replaced by {file}. "
                               f"Type 'yes' to go on: ")
                if answer.strip().lower() != "yes":
                    raise CommandError("Nothing was restored.")
            outcome = backup.restore(file, db=db)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Restored {file} into {target} in {outcome.seconds:.1f} s."))
            for line in backup.counts_lines(outcome.counts):
                self.stdout.write(line)
        for note in outcome.notes:
            self.stdout.write(self.style.WARNING(note))

    @staticmethod
    def _describe(db: dict) -> str:
        if backup.vendor_of(db) == "sqlite":
            return f"the SQLite database {db['NAME']}"
        return f"the PostgreSQL database {db['NAME']}" + (f" on {db['HOST']}" if db.get("HOST") else "")
