"""``tinhgon backup FILE``: a consistent copy of the whole database (docs/DEPLOY.md)."""

from django.core.management.base import BaseCommand, CommandError

from tinhgon.core import backup


class Command(BaseCommand):
    help = ("Back up the whole database to FILE while the app keeps serving: SQLite's online backup (an SQLite "
            "file) or pg_dump's custom format (PostgreSQL). The file is readable by its owner only; it is "
            "replaced only once the new backup is complete and checked. Prints the rows of every table.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup, e.g. /var/backups/tinhgon/2025-07-01.dump")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, file: str, database: str = "default", verbosity: int = 1, **options):
        try:
            outcome = backup.backup(file, alias=database)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(
                f"Backed up the {backup.NAMES[outcome.vendor]} database to {outcome.path} ({backup.human_size(outcome.size)}) "
                f"in {outcome.seconds:.1f} s."))
            for line in backup.counts_lines(outcome.counts):
                self.stdout.write(line)
