from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tinhgon.apparatus.importers import units_import_file
from tinhgon.apparatus.services import UnitRowsInvalid
from tinhgon.core.changelog import acting_as


class Command(BaseCommand):
    help = (
        "Import unit versions from a CSV (UTF-8, comma or semicolon) or XLSX file with the columns "
        "code, name, kind, parent_code, valid_from [, valid_to, level, short_name, latitude, longitude, "
        "area_km2, population, note]. All or nothing; re-importing the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV or XLSX file.")
        parser.add_argument("--max-errors", type=int, default=200, help="Errors to print (default: %(default)s).")

    def handle(self, *args, file, max_errors, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            with path.open("rb") as fh, acting_as(None, source="cli"):
                result = units_import_file(fileobj=fh, filename=path.name)
        except UnitRowsInvalid as exc:
            for e in exc.errors_list[:max_errors]:
                self.stderr.write(str(e))
            if len(exc.errors_list) > max_errors:
                self.stderr.write(f"… and {len(exc.errors_list) - max_errors} more.")
            raise CommandError(f"{len(exc.errors_list)} errors in {path.name}; nothing was written.") from None
        self.stdout.write(f"{path.name}: {result.created} unit versions created, {result.skipped} already present.")
