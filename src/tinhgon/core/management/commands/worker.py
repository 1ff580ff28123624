"""``tinhgon worker``: run background jobs as they are queued (until Ctrl-C)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run background jobs (imports, plans, generation) as they are queued."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between two looks at the queue.")
        parser.add_argument("--batch", action="store_true", help="Run the jobs queued now, then stop.")

    def handle(self, *args, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_db."):
            args = ["--interval", str(options["interval"]), "--queue-name", "default", "--no-startup-delay"]
            if options["batch"]:
                args.append("--batch")
            call_command("db_worker", *args)
        elif backend.startswith("django_tasks_rq."):
            call_command("rqworker", "default", *(["--burst"] if options["batch"] else []))
        else:
            raise CommandError(f"The task backend {backend} runs jobs in the web process: no worker needed.")
