"""``tinhgon purge-job-files [--days N]``: remove the files that jobs wrote (exports) once
they are older than N days (default ``TINHGON_JOB_OUTPUT_DAYS``). Run it nightly."""

from django.core.management.base import BaseCommand

from tinhgon.core import jobs


class Command(BaseCommand):
    help = "Remove the output files of background jobs that ended more than N days ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Age in days (default: the TINHGON_JOB_OUTPUT_DAYS setting).")

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            from django.core.management.base import CommandError

            raise CommandError("--days must be 0 or more.")
        n = jobs.purge_outputs(days=days)
        self.stdout.write(f"{n} file(s) removed.")
